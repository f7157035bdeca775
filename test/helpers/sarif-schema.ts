import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';

/**
 * A validator for the official SARIF 2.1.0 schema (rtm.5, the one GitHub code scanning documents), as shipped
 * in @microsoft/jest-sarif. The schema is draft-04, and one of its patterns is not valid with the `u` flag.
 */
export function sarifValidator() {
  const require = createRequire(import.meta.url);
  const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}
