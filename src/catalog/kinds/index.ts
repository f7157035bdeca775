import type { CatalogKind } from '../catalog-object.js';
import { columns } from './columns.js';
import { constraints } from './constraints.js';
import { extensions } from './extensions.js';
import { functions } from './functions.js';
import { indexes } from './indexes.js';
import { policies } from './policies.js';
import { schemas } from './schemas.js';
import { tables } from './tables.js';
import { triggers } from './triggers.js';

/** Every introspected kind, in report order. Adding a kind: its file, one line here, a fixture. */
export const CATALOG_KINDS: CatalogKind[] = [schemas, extensions, tables, columns, constraints, indexes, policies, triggers, functions];
