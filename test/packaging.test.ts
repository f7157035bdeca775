import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, posix, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pgliteVersion } from '../src/engine/pglite-engine.js';
import { packagedTemplatePath } from '../src/engine/pglite-template.js';
import { LINT_CODES } from '../src/rules/lint/registry.js';
import { REDUNDANT_INDEX_RULES } from '../src/rules/redundant-indexes/registry.js';
import { tempDir } from './helpers/temp-dir.js';

const ROOT = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

describe('the published package', () => {
  it('declares its license (with the LICENSE file), where it lives, and builds on pack, not on every install', () => {
    expect(pkg.license).toBe('MIT');
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) /);
    expect(pkg.repository?.url).toMatch(/^git\+https:\/\/github\.com\/[^/]+\/verify-schema\.git$/);
    expect(pkg.homepage).toMatch(/^https:\/\/github\.com\/[^/]+\/verify-schema#readme$/);
    expect(pkg.bugs?.url).toMatch(/^https:\/\/github\.com\/[^/]+\/verify-schema\/issues$/);
    // One owner everywhere: the package's links and the README's `uses: OWNER/verify-schema@v1`.
    const owner = /github\.com\/([^/]+)\//.exec(pkg.homepage)![1];
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(`uses: ${owner}/verify-schema@v1`);
    // prepack also builds the initialised engine template when the installed PGlite has none yet.
    expect(pkg.scripts.prepack).toBe('npm run build && npm run build:template');
    for (const script of ['prepare', 'preinstall', 'install', 'postinstall']) expect(pkg.scripts[script]).toBeUndefined();
  });

  it('npm pack + install into a fresh project: docs the findings link to are there, source maps resolve, and the types compile without @types/node', { timeout: 240_000 }, () => {
    expect(existsSync(join(ROOT, 'dist', 'index.js')), 'dist/ is built by `npm test` before the tests run').toBe(true);
    const out = tempDir('verify-schema-pack-');
    // --ignore-scripts: dist/ is already built; prepack would only build it again.
    const [packed] = JSON.parse(execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', out], { cwd: ROOT, encoding: 'utf8' })) as [{ filename: string; files: { path: string }[] }];
    const files = new Set(packed.files.map((f) => f.path));
    expect(files.has('LICENSE')).toBe(true);
    // The initialised engine template: a first run unpacks it instead of running initdb.
    expect(files.has(relative(ROOT, packagedTemplatePath(pgliteVersion())))).toBe(true);
    // details.doc of every finding that has one is a path inside the package.
    const docs = [...REDUNDANT_INDEX_RULES.map((r) => r.doc), ...LINT_CODES.map((code) => `docs/rules/${code}.md`)];
    expect(docs.filter((doc) => !files.has(doc))).toEqual([]);
    // Every source a shipped source map names is shipped too.
    const maps = [...files].filter((f) => f.endsWith('.map'));
    const unresolved = maps.flatMap((map) => {
      const { sources } = JSON.parse(readFileSync(join(ROOT, map), 'utf8')) as { sources: string[] };
      return sources.map((s) => posix.normalize(posix.join(posix.dirname(map), s))).filter((s) => !files.has(s));
    });
    expect(unresolved).toEqual([]);

    const consumer = join(out, 'consumer');
    mkdirSync(consumer);
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
    execFileSync(npm, ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', join(out, packed.filename)], { cwd: consumer, stdio: 'pipe' });
    const installed = join(consumer, 'node_modules', 'verify-schema');
    for (const doc of docs) expect(existsSync(join(installed, doc)), doc).toBe(true);
    expect(existsSync(join(consumer, 'node_modules', '@types', 'node'))).toBe(false);
    writeFileSync(
      join(consumer, 'consumer.ts'),
      `import { verifySchema, formatText, type Report, type Finding, type VerifyOptions } from 'verify-schema';
const options: VerifyOptions = { reference: ['db/schema'], migrations: ['db/migration'] };
export async function check(): Promise<string> {
  const report: Report = await verifySchema(options);
  const first: Finding | undefined = report.findings[0];
  return formatText(report) + (first?.code ?? '');
}
`,
    );
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: false, noEmit: true, types: [] }, files: ['consumer.ts'] }),
    );
    const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
    let diagnostics = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', '.'], { cwd: consumer, encoding: 'utf8' });
    } catch (error) {
      diagnostics = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(diagnostics).toBe('');
    // The API is ESM: it loads with import (a require() of it is documented as unsupported).
    expect(execFileSync(process.execPath, ['--input-type=module', '-e', `import('verify-schema').then((m) => process.stdout.write(typeof m.verifySchema))`], { cwd: consumer, encoding: 'utf8' })).toBe('function');
  });
});
