import { spawn, spawnSync } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scratchPrefix, sweepScratchLeftovers } from '../src/engine/scratch-leftovers.js';
import { runCli } from './helpers/run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'verify-schema-sweep-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The pid of a process that has just exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('scratch directories of killed embedded runs', () => {
  it('removes those of processes that are gone, keeps this process\'s, live processes\', other hosts\' and unrelated ones', async () => {
    const mine = scratchPrefix(root);
    const host = basename(mine).split('-')[2];
    const dead = deadPid();
    const make = (name: string) => {
      mkdirSync(join(root, name, 'base'), { recursive: true });
      writeFileSync(join(root, name, 'base', 'file'), 'x');
      return name;
    };
    const gone = make(`verify-schema-${host}-${dead}-AbC123`);
    writeFileSync(join(root, `verify-schema-${host}-${dead}-checkpoint-1234-5678.tar`), 'x');
    const own = make(`${basename(mine)}Zz9Yy8`);
    const live = make(`verify-schema-${host}-1-Qq1Ww2`); // pid 1 always exists
    const otherHost = make(`verify-schema-elsewhere-${dead}-Ee3Rr4`);
    const unrelated = make('verify-schema-cache');
    const removed = await sweepScratchLeftovers(root);
    expect(removed.sort()).toEqual([gone, `verify-schema-${host}-${dead}-checkpoint-1234-5678.tar`].sort());
    expect(readdirSync(root).sort()).toEqual([own, live, otherHost, unrelated].sort());
    expect(await sweepScratchLeftovers(join(root, 'missing'))).toEqual([]);
  });

  it('a run killed outright leaves its scratch directory, which the next run removes', async () => {
    const shm = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
    const child = spawn(process.execPath, [join(import.meta.dirname, '..', 'bin', 'verify-schema.js'), '--no-cache'], { stdio: 'ignore' });
    const prefix = basename(scratchPrefix(shm)).replace(`-${process.pid}-`, `-${child.pid}-`);
    const its = () => readdirSync(shm).filter((n) => n.startsWith(prefix));
    const deadline = Date.now() + 60_000;
    while (its().length === 0 && Date.now() < deadline && child.exitCode === null) await delay(20);
    const exited = child.exitCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const left = its();
    expect(left.length).toBeGreaterThan(0);
    const run = await runCli(['--no-cache']);
    expect(run.exitCode).toBe(0);
    const until = Date.now() + 10_000;
    while (its().length > 0 && Date.now() < until) await delay(50);
    expect(its()).toEqual([]);
  });
});
