import type { CatalogKind } from '../catalog-object.js';
import { columns } from './columns.js';
import { comments } from './comments.js';
import { constraints } from './constraints.js';
import { eventTriggers } from './event-triggers.js';
import { extensions } from './extensions.js';
import { functions } from './functions.js';
import { indexes } from './indexes.js';
import { policies } from './policies.js';
import { privileges } from './privileges.js';
import { publications } from './publications.js';
import { schemas } from './schemas.js';
import { sequences } from './sequences.js';
import { tables } from './tables.js';
import { triggers } from './triggers.js';
import { types } from './types.js';
import { views } from './views.js';

/**
 * Every introspected kind, in report order. Adding a kind: its file, one line here, a fixture.
 * Containers (tables, views) come before what they contain, and comments and privileges last, so the diff
 * knows which objects are missing as a whole before it meets their parts.
 */
export const CATALOG_KINDS: CatalogKind[] = [
  schemas,
  extensions,
  types,
  tables,
  views,
  sequences,
  columns,
  constraints,
  indexes,
  policies,
  triggers,
  functions,
  eventTriggers,
  publications,
  comments,
  privileges,
];
