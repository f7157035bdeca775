import { Writable } from 'node:stream';
import { main } from '../../src/cli.js';
import { withoutLeftoverNotices } from './server.js';

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output: the same code path as `verify-schema`, without a process per call. */
export async function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; stderrIsTTY?: boolean; leftoverNotices?: boolean } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(String(chunk));
        done();
      },
    });
  const exitCode = await main(args, {
    stdout: sink((s) => (stdout += s)),
    stderr: Object.assign(sink((s) => (stderr += s)), { isTTY: options.stderrIsTTY ?? false }),
    cwd: options.cwd ?? process.cwd(),
    // Not GITHUB_ACTIONS: inside Actions the CLI would default to annotations and to history checks against the PR base.
    env: options.env ?? { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: undefined },
  });
  // Test files run side by side on one test server: another file's (deliberate) leftovers are not this run's output.
  return { exitCode, stdout, stderr: options.leftoverNotices ? stderr : withoutLeftoverNotices(stderr) };
}
