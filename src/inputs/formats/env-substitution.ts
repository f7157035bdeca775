import { InputError } from '../../errors.js';

/**
 * goose's `-- +goose ENVSUB ON` expansion (mfridman/interpolate): `${VAR}` and `$VAR`, `${VAR:-default}` (unset
 * or empty), `${VAR-default}` (unset), `${VAR?message}` (unset is an error), and `$$` for a literal `$` — which
 * is why goose's docs switch ENVSUB off around dollar-quoted function bodies. An unset variable without a
 * default becomes empty, as in goose; `unset` collects its name so the report can say so.
 */
export function substituteEnv(line: string, env: Record<string, string | undefined>, where: string, unset: Set<string>): string {
  return line.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:-|-|\?)([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced: string | undefined, op: string | undefined, arg: string | undefined, bare: string | undefined) => {
    if (whole === '$$') return '$';
    const name = (braced ?? bare)!;
    const value = env[name];
    if (op === ':-') return value ? value : arg ?? '';
    if (op === '-') return value !== undefined ? value : arg ?? '';
    if (op === '?') {
      if (value === undefined) throw new InputError(`${where}: environment variable ${name} is not set (goose ENVSUB: ${arg || 'required'}); set it, or turn ENVSUB off around this line`);
      return value;
    }
    if (value === undefined) unset.add(name);
    return value ?? '';
  });
}
