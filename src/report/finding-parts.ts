import type { AttributeValue, FieldSpec } from '../catalog/catalog-object.js';
import { CATALOG_KINDS } from '../catalog/kinds/index.js';
import type { Finding } from './finding.js';
import type { SideWords } from './side-words.js';

/** What a reviewer needs to judge a finding beyond its headline, in the order reports show it. */
export type FindingPart =
  /** A changed definition-like attribute: shown as a unified diff. */
  | { part: 'diff'; label: string; reference: string; compared: string }
  /** A changed attribute: before → after. */
  | { part: 'change'; label: string; reference: AttributeValue; compared: AttributeValue }
  /** The whole object on the side that has it (missing/extra): its definition, else its compared attributes. */
  | { part: 'object'; definition?: string; text?: string; attributes: Array<{ spec: FieldSpec; value: AttributeValue }> }
  /** Findings that are not drift of one object (redundant index, file checks): the message and what to do. */
  | { part: 'explanation'; message: string; sizeBytes?: number; scans?: unknown; suggestion?: string };

/**
 * Walks a finding's details once for every human format (text, Markdown), so they cannot branch differently
 * on the same finding. `other` names the side compared with the reference.
 */
export function findingParts(f: Finding, other: SideWords): FindingPart[] {
  const specs = CATALOG_KINDS.find((k) => k.kind === f.kind)?.fields ?? [];
  if (f.change === 'changed' && f.kind !== 'migration') {
    const byName = new Map(specs.map((x) => [x.name, x] as const));
    // Only attribute changes ({ reference, <other side> }); other details (the setup script's line) are not.
    const changes = Object.entries(f.details).filter(([, value]) => value !== null && typeof value === 'object' && 'reference' in value);
    return changes.map(([field, value]): FindingPart => {
      const { reference, [other.name]: compared } = value as Record<string, AttributeValue>;
      const spec = byName.get(field);
      const label = spec?.label ?? field;
      return spec?.multiline && typeof reference === 'string' && typeof compared === 'string'
        ? { part: 'diff', label, reference, compared }
        : { part: 'change', label, reference, compared };
    });
  }
  if (f.change === 'missing' || f.change === 'extra') {
    const attrs = (f.details.reference ?? f.details[other.name]) as Record<string, AttributeValue> | undefined;
    if (!attrs) return [];
    const attributes = specs.filter((spec) => !spec.optIn && attrs[spec.name] !== null && attrs[spec.name] !== undefined).map((spec) => ({ spec, value: attrs[spec.name] }));
    return [
      {
        part: 'object',
        ...(typeof attrs.definition === 'string' ? { definition: attrs.definition } : {}),
        ...(typeof attrs.text === 'string' ? { text: attrs.text } : {}),
        attributes,
      },
    ];
  }
  return [
    {
      part: 'explanation',
      message: f.message,
      ...(typeof f.details.sizeBytes === 'number' ? { sizeBytes: f.details.sizeBytes, scans: f.details.scans } : {}),
      ...(typeof f.details.suggestion === 'string' ? { suggestion: f.details.suggestion } : {}),
    },
  ];
}
