import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initdbModules, pgliteVersion } from '../src/engine/pglite-engine.js';
import { ensureTemplate, packagedTemplatePath } from '../src/engine/pglite-template.js';
import { runCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp-dir.js';

const ROOT = join(import.meta.dirname, '..');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

/** The demo checked with --no-cache against a cache folder: its JSON report without the timing. */
async function checkDemo(cacheDir: string) {
  const result = await runCli(['--no-cache', '--format', 'json'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: undefined, VERIFY_SCHEMA_CACHE_DIR: cacheDir } });
  const report = JSON.parse(result.stdout, (key, value) => (key === 'durationMs' ? undefined : value)) as Record<string, unknown>;
  return { exitCode: result.exitCode, report };
}

describe('the engine template shipped in the package', () => {
  it('exists for the installed PGlite version and template layout', () => {
    expect(existsSync(packagedTemplatePath(pgliteVersion())), `no engine template for PGlite ${pgliteVersion()}: run \`npm run build && npm run build:template\` and commit engine-template/`).toBe(true);
  });

  it('a first run unpacks it instead of running initdb, and checks exactly as with a template made by initdb', async () => {
    const version = pgliteVersion();
    const fromPackage = tempDir('vs-template-package-');
    const packaged = await checkDemo(fromPackage);
    const dir = join(fromPackage, readdirSync(fromPackage).find((n) => n.endsWith('-datadir'))!);
    expect(readFileSync(join(dir, '.verify-schema-template'), 'utf8')).toBe(`PGlite ${version}\nfrom: package\n`);

    // The old path: no template in the package, so initdb builds one.
    const fromInitdb = tempDir('vs-template-initdb-');
    const built = await ensureTemplate(fromInitdb, version, initdbModules, join(fromInitdb, 'no-such-template.tar.gz'));
    expect(readFileSync(join(built.dir, '.verify-schema-template'), 'utf8')).toBe(`PGlite ${version}\nfrom: initdb\n`);
    // The same layout (the same files: template0 dropped, no pre-allocated WAL) …
    expect(files(dir).filter((f) => f !== '.verify-schema-template')).toEqual(files(built.dir).filter((f) => f !== '.verify-schema-template'));
    // … and the same report.
    expect(await checkDemo(fromInitdb)).toEqual(packaged);
    expect(packaged.exitCode).toBe(0);
    expect((packaged.report.findings as unknown[]).length).toBe(1);
  });
});
