#!/usr/bin/env node
// Thin launcher: all behaviour lives in dist/cli.js so the CLI and the API share one implementation.
//
// The published package ships dist/ and runs no install script. A git checkout has no dist/ until it is built,
// so here (recognised by its tsconfig.json, which is not published) the launcher builds dist/ when it is
// missing or older than a source file: a clone needs only `npm install` before `npx verify-schema`, and a
// `git pull` never runs stale code.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function newestSourceTime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceTime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function buildCheckoutIfStale() {
  const tsconfig = join(root, 'tsconfig.json');
  if (!existsSync(tsconfig) || !existsSync(join(root, 'src'))) return;
  const entry = join(root, 'dist', 'cli.js');
  if (existsSync(entry) && statSync(entry).mtimeMs >= newestSourceTime(join(root, 'src'))) return;
  let tsc;
  try {
    tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    process.stderr.write('verify-schema: error: dist/ is not built and TypeScript is not installed: run `npm install` in this checkout first\n');
    process.exit(2);
  }
  process.stderr.write('verify-schema: building dist/ from src/ (first run in this checkout, or the sources changed)…\n');
  const built = spawnSync(process.execPath, [tsc, '-p', tsconfig], { cwd: root, stdio: ['ignore', 2, 2] });
  if (built.status !== 0) {
    process.stderr.write('verify-schema: error: building dist/ failed (see above): fix the TypeScript error or run `npm run build`\n');
    process.exit(2);
  }
}

buildCheckoutIfStale();
const { main } = await import('../dist/cli.js');
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
