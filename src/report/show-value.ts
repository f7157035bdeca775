import type { AttributeValue } from '../catalog/catalog-object.js';

/** How an attribute value reads in messages and reports: `none` for null or an empty list, `on`/`off` for booleans. */
export function show(value: AttributeValue): string {
  if (value === null) return 'none';
  if (Array.isArray(value)) return value.length ? value.join(', ') : 'none';
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return String(value);
}
