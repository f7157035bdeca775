import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { displayPath } from '../inputs/display-path.js';
import type { Finding, Report } from '../report/finding.js';
import { formatText } from '../report/format-text.js';
import { summarize } from '../report/summarize.js';
import { fixSchema, type FixOptions, type FixResult } from './fix-schema.js';
import { nextMigration } from './next-migration.js';

interface Io {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  cwd: string;
}

export interface FixOutput {
  format: 'text' | 'json';
  /** Write the migration to this file. */
  output?: string;
  /** Save it as the next migration of the migrations folder. */
  write?: boolean;
}

/**
 * `verify-schema fix`: the SQL goes to stdout (or to the file --output / --write names, whose path is then
 * printed), what the proof found and what was withheld to stderr, so stdout can be redirected into a
 * migration. With --format json, stdout carries the whole result instead. Exit 0 proven or nothing to fix,
 * 1 not proven or something withheld.
 */
export async function runFixCommand(options: FixOptions, out: FixOutput, io: Io): Promise<number> {
  if (out.output && out.write) throw new InputError('fix takes --output FILE or --write, not both');
  if (options.referenceSide && out.write) throw new InputError('--write saves a migration; with --reference-side use --output FILE (or the printed DDL) and put each group in its reference folder');
  const result: FixResult = await fixSchema({ ...options, asNextMigration: out.write });
  let target: string | undefined;
  if (result.status !== 'nothing-to-fix') {
    // Into the project's own migrations only what is proven: an unproven fix is printed (or --output), not saved.
    if (out.write && result.status === 'proven') {
      // A project found without --migrations (a supabase/ or Sqitch project root): the files it read say where.
      const migrations = options.migrations?.length ? options.migrations : result.inputs.migrations;
      const file = await nextMigration(result.inputs.migrationFormat, migrations, io.cwd, { sql: result.sql, statements: result.statements.map((s) => s.sql), outsideTransaction: result.outsideTransaction }, { includeCurrent: options.includeCurrent });
      for (const companion of file.companions) await save(companion.path, companion.text);
      await save(file.path, file.text);
      target = file.path;
    } else if (out.output) {
      target = resolve(io.cwd, out.output);
      await save(target, result.sql);
    }
    if (target) result.written = displayPath(target, io.cwd);
  }
  const sqlToStdout = out.format === 'text' && !out.write && !out.output;
  const messages = sqlToStdout ? io.stderr : io.stdout;
  if (out.format === 'json') io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else if (sqlToStdout) io.stdout.write(result.sql);
  if (out.format === 'text') messages.write(verdict(result, out));
  return result.ok ? 0 : 1;
}

async function save(path: string, text: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
  } catch (error) {
    throw new InputError(`cannot write the migration to ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; check --output`);
  }
}

/** What the user must know besides the SQL: the proof's verdict, the withheld and unsupported changes, what remains. */
function verdict(result: FixResult, out: FixOutput): string {
  const lines: string[] = [];
  const seconds = `${(result.durationMs / 1000).toFixed(1)}s`;
  if (result.written) lines.push(`wrote ${result.written}`);
  if (result.status === 'nothing-to-fix') {
    const what = result.side === 'reference' ? 'the reference already has everything the migrations make' : 'the migrations already produce the reference schema';
    lines.push(`✓ nothing to fix: ${what} — ${result.engine.name} ${result.engine.version}, ${seconds}`);
    return `${lines.join('\n')}\n`;
  }
  for (const w of result.withheld) lines.push(`withheld: ${w.kind} ${w.object}: ${w.reason}`);
  for (const u of result.unsupported) lines.push(`not generated: ${u.kind} ${u.object}: ${u.reason}`);
  for (const l of result.proof.lint ?? []) lines.push(`lint: ${l.code}: ${l.message}${l.migrationLocation ? ` (line ${l.migrationLocation.line})` : ''}`);
  const where = result.proof.beforeRepeatables ? `as the next versioned migration, before the repeatable ones (${result.proof.beforeRepeatables.join(', ')})` : 'after the migrations';
  if (result.proof.error) lines.push(`the fix failed to apply ${where}: ${result.proof.error}`);
  if (result.proof.beforeRepeatables && result.status === 'not-proven') {
    lines.push(`Flyway runs repeatable migrations after every versioned one, so the next versioned migration cannot change what they define: change that in ${result.proof.beforeRepeatables.join(', ')} (Flyway runs a repeatable migration again whenever it changes)`);
  }
  if (out.write && result.status === 'not-proven') lines.push('nothing written: --write saves only a proven fix');
  if (result.proof.remaining.length) {
    lines.push('still different after applying the fix:');
    lines.push(formatText(remainingReport(result, result.proof.remaining)).trimEnd().split('\n').slice(0, -1).join('\n'));
  }
  const count = `${result.statements.length} statement${result.statements.length === 1 ? '' : 's'}${result.groups ? ` for ${result.groups.length} reference folder${result.groups.length === 1 ? '' : 's'}` : ''}`;
  if (result.status === 'proven') {
    const extra = result.withheld.length ? `; ${result.withheld.length} withheld (run with --allow-data-loss to include them)` : '';
    const placed = result.proof.beforeRepeatables ? ', before the repeatable migrations' : '';
    lines.push(`${result.withheld.length ? '✗' : '✓'} fix proven: ${count}${result.outsideTransaction ? ', outside a transaction' : ''}${placed}${extra} — ${result.engine.name} ${result.engine.version}, ${seconds}`);
  } else {
    const why = result.proof.error ? 'it failed to apply' : `${result.proof.remaining.length} difference(s) remain${result.withheld.length ? ` (${result.withheld.length} statement(s) withheld: run with --allow-data-loss to include them)` : ''}`;
    lines.push(`✗ fix not proven: ${count}, ${why} — ${result.engine.name} ${result.engine.version}, ${seconds}`);
  }
  return `${lines.join('\n')}\n`;
}

function remainingReport(result: FixResult, findings: Finding[]): Report {
  return { version: 1, ok: false, sides: ['reference', 'migrations'], engine: result.engine, inputs: result.inputs, findings, warnings: [], summary: summarize(findings, result.durationMs) };
}
