import { checkMigrationHistory } from '../../rules/history/check-history.js';
import type { Step } from '../step.js';

/** The migration files as Flyway and a reviewer see them: names, versions, git status, changes since the base. */
export const historyStep: Step = {
  name: 'migration-history',
  needs: 'inputs',
  run: ({ options, inputs }) => checkMigrationHistory({ sources: inputs.migrationSources, cwd: inputs.cwd, baseRef: options.baseRef, ci: options.ci, format: inputs.migrationFormat, files: inputs.migrationFiles }),
};
