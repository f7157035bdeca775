import { readFile, readdir } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { parsePlan, projectDir } from '../inputs/formats/sqitch.js';
import type { MigrationToWrite } from './next-migration.js';

/**
 * The fix as a new Sqitch change, laid out as `sqitch add` lays one out: `deploy/<change>.sql` (the fix,
 * inside BEGIN/COMMIT unless it must run outside a transaction), `revert/<change>.sql` and
 * `verify/<change>.sql` with the default templates' headers, and the change's line appended to sqitch.plan:
 * `<change> <timestamp> <planner> <<email>> # <note>`. The planner is SQITCH_FULLNAME / SQITCH_EMAIL when
 * set, else the system user and user@host, as Sqitch falls back to. A name already planned gets a suffix,
 * since Sqitch refuses a change planned twice without a tag between.
 */
export async function nextSqitchChange(folder: string, name: string, fix: { sql: string; outsideTransaction: boolean }, now: Date): Promise<MigrationToWrite> {
  const project = await projectDir({ folder, files: [], explicit: false });
  if (!project) throw new InputError(`--write found no sqitch.plan in ${folder} or its parent; use --output FILE instead`);
  const planPath = resolve(project.top, project.planFile);
  const plan = await readFile(planPath, 'utf8');
  const planned = new Set(parsePlan(plan, planPath).map((c) => c.name));
  const deployDir = resolve(project.top, project.deployDir);
  const scripts = new Set(await readdir(deployDir).catch(() => [] as string[]));
  let change = name;
  for (let n = 2; planned.has(change) || scripts.has(`${change}.sql`); n++) change = `${name}_${n}`;
  const projectName = /^%project=(\S+)/m.exec(plan)?.[1] ?? 'project';
  const deploy = fix.outsideTransaction
    ? `-- Deploy ${projectName}:${change} to pg\n\n${fix.sql}`
    : `-- Deploy ${projectName}:${change} to pg\n\nBEGIN;\n\n${fix.sql}\nCOMMIT;\n`;
  const user = userInfo().username;
  const planner = `${process.env.SQITCH_FULLNAME ?? user} <${process.env.SQITCH_EMAIL ?? `${user}@${hostname()}`}>`;
  const timestamp = now.toISOString().replace(/\.\d+Z$/, 'Z');
  const line = `${change} ${timestamp} ${planner} # Reconcile the migrations with the reference schema (verify-schema fix).\n`;
  return {
    path: join(deployDir, `${change}.sql`),
    text: deploy,
    companions: [
      {
        path: join(resolve(project.top, project.revertDir), `${change}.sql`),
        text: `-- Revert ${projectName}:${change} from pg\n\n-- verify-schema fix writes no revert: write one if your workflow needs it.\n`,
      },
      { path: join(resolve(project.top, project.verifyDir), `${change}.sql`), text: `-- Verify ${projectName}:${change} on pg\n\nBEGIN;\n\n-- verify-schema fix proved this change against the reference schema; add checks here if you like.\n\nROLLBACK;\n` },
      { path: planPath, text: `${plan}${plan.endsWith('\n') || plan === '' ? '' : '\n'}${line}` },
    ],
  };
}
