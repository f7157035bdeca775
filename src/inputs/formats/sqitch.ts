import { access, readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../../errors.js';
import { displayPath } from '../display-path.js';
import { readSqlFile } from '../read-sql-file.js';
import type { FormatContext, Migration, MigrationFormat, MigrationInput } from './migration-format.js';

/**
 * Sqitch: the changes of `sqitch.plan` in plan order, each change's `deploy/<change>.sql`. A change reworked
 * later in the plan deploys its earlier versions from `deploy/<change>@<tag>.sql`, the tag being the first one
 * after that version, as Sqitch does. Sqitch runs each script with psql, outside a transaction unless the
 * script writes its own BEGIN/COMMIT (most do); a script without one runs here as one transaction, which
 * changes nothing for a script that succeeds.
 */
export const sqitchFormat: MigrationFormat = {
  name: 'sqitch',
  looksFor: 'a sqitch.plan with deploy/<change>.sql scripts',
  projectHint: 'a sqitch.plan',
  async detect(input) {
    const project = await projectDir(input);
    return project ? `${basename(project.planFile)} in ${basename(project.top) || project.top}` : undefined;
  },
  async read(input, context) {
    const project = await projectDir(input);
    if (!project) throw new InputError(`${displayPath(input.folder, context.cwd)}: no sqitch.plan here or in its parent; pass the Sqitch project folder (the one with sqitch.plan) as --migrations`);
    const planPath = resolve(project.top, project.planFile);
    const changes = parsePlan(await readFile(planPath, 'utf8'), displayPath(planPath, context.cwd));
    const deployDir = resolve(project.top, project.deployDir);
    const migrations: Migration[] = [];
    for (const change of changes) migrations.push(await readChange(deployDir, change, context));
    return { migrations, notes: [] };
  },
  async discoverProject(root) {
    const project = await projectDir({ folder: root, files: [], explicit: false });
    if (!project || project.top !== root) return undefined;
    return { migrations: ['.'], migrationFormat: 'sqitch', description: `sqitch project (${project.planFile})` };
  },
};

interface PlannedChange {
  name: string;
  /** Set for a change reworked later: its script is deploy/<name>@<tag>.sql. */
  tag?: string;
  note?: string;
  line: number;
}

async function readChange(deployDir: string, change: PlannedChange, context: FormatContext): Promise<Migration> {
  const path = join(deployDir, `${change.name}${change.tag ? `@${change.tag}` : ''}.sql`);
  if (!(await exists(path))) throw new InputError(`sqitch.plan line ${change.line} plans change ${change.name}, but ${displayPath(path, context.cwd)} does not exist; add the deploy script or fix the plan`);
  const file = await readSqlFile(path, context.cwd);
  return { path, version: change.tag ? `${change.name}@${change.tag}` : change.name, description: change.note, sql: file.text, transaction: 'auto' };
}

/** Changes in plan order; a change planned again later (reworked) gets the tag that follows its earlier entry. */
export function parsePlan(text: string, where: string): PlannedChange[] {
  const entries: Array<{ kind: 'change'; change: PlannedChange } | { kind: 'tag'; name: string }> = [];
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('%')) return;
    if (line.startsWith('@')) {
      entries.push({ kind: 'tag', name: line.slice(1).split(/\s+/)[0] });
      return;
    }
    const m = /^([+-]?)([^\s[@#]+)/.exec(line);
    if (!m) throw new InputError(`${where}:${i + 1}: cannot read this plan line; Sqitch plan lines are "change [dependencies] timestamp planner <email> # note"`);
    if (m[1] === '-') throw new InputError(`${where}:${i + 1}: a revert entry (-${m[2]}) in the plan is not supported; verify-schema deploys the plan in order`);
    const note = /\s#\s?(.*)$/.exec(line)?.[1];
    entries.push({ kind: 'change', change: { name: m[2], note, line: i + 1 } });
  });
  const changes: PlannedChange[] = [];
  for (const [index, entry] of entries.entries()) {
    if (entry.kind !== 'change') continue;
    const reworkedLater = entries.slice(index + 1).some((e) => e.kind === 'change' && e.change.name === entry.change.name);
    if (reworkedLater) {
      const tag = entries.slice(index + 1).find((e) => e.kind === 'tag');
      if (!tag || tag.kind !== 'tag') throw new InputError(`${where}:${entry.change.line}: change ${entry.change.name} is planned again later without a tag between, which Sqitch refuses`);
      changes.push({ ...entry.change, tag: tag.name });
    } else changes.push(entry.change);
  }
  return changes;
}

export interface SqitchProject {
  top: string;
  planFile: string;
  deployDir: string;
  revertDir: string;
  verifyDir: string;
}

/**
 * The Sqitch project the input points at: the folder itself or its parent (when given the deploy folder), with
 * sqitch.conf's `top_dir`, `plan_file`, `deploy_dir`, `revert_dir` and `verify_dir` honoured.
 */
export async function projectDir(input: MigrationInput): Promise<SqitchProject | undefined> {
  const folders = input.explicit ? [] : [input.folder, dirname(input.folder)];
  for (const folder of folders) {
    const conf = await readConf(join(folder, 'sqitch.conf'));
    const top = resolve(folder, conf.top_dir ?? '.');
    const planFile = conf.plan_file ?? 'sqitch.plan';
    if (await exists(resolve(top, planFile))) return { top, planFile, deployDir: conf.deploy_dir ?? 'deploy', revertDir: conf.revert_dir ?? 'revert', verifyDir: conf.verify_dir ?? 'verify' };
  }
  return undefined;
}

/** The keys of sqitch.conf's [core] and [engine "pg"] sections (an INI file, as git config). */
async function readConf(path: string): Promise<Record<string, string>> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const values: Record<string, string> = {};
  let section = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const header = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (header) section = header[1].replace(/\s+/g, ' ').toLowerCase();
    const kv = /^([\w.-]+)\s*=\s*(.*)$/.exec(line);
    if (kv && (section === 'core' || section === 'engine "pg"')) values[kv[1]] = kv[2].replace(/^"(.*)"$/, '$1');
  }
  return values;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}
