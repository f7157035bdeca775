import type { ObjectKind } from '../../catalog/catalog-object.js';
import type { KindGenerator } from '../fix-statement.js';
import { columnGenerator } from './columns.js';
import { commentGenerator } from './comments.js';
import { constraintGenerator } from './constraints.js';
import { eventTriggerGenerator } from './event-triggers.js';
import { extensionGenerator } from './extensions.js';
import { functionGenerator } from './functions.js';
import { indexGenerator } from './indexes.js';
import { policyGenerator } from './policies.js';
import { privilegeGenerator } from './privileges.js';
import { publicationGenerator } from './publications.js';
import { schemaGenerator } from './schemas.js';
import { sequenceGenerator } from './sequences.js';
import { tableGenerator } from './tables.js';
import { triggerGenerator } from './triggers.js';
import { typeGenerator } from './types.js';
import { viewGenerator } from './views.js';

/** One SQL generator per compared kind. A kind without one is listed as unsupported when it differs. */
export const KIND_GENERATORS: Partial<Record<ObjectKind, KindGenerator>> = Object.fromEntries(
  [schemaGenerator, extensionGenerator, typeGenerator, sequenceGenerator, tableGenerator, columnGenerator, constraintGenerator, indexGenerator, viewGenerator, functionGenerator, triggerGenerator, policyGenerator, commentGenerator, privilegeGenerator, publicationGenerator, eventTriggerGenerator].map((g) => [g.kind, g]),
);
