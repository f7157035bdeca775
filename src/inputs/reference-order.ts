import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InputError } from '../errors.js';
import type { FileCheckResult } from '../history/check-history.js';
import type { Finding } from '../report/finding.js';
import { displayPath } from './display-path.js';

export interface ReferenceOrderOptions {
  /** The order file: one reference file per line, relative to the order file's own folder. */
  orderFile?: string;
  /** The reference files the pipeline applies (absolute). */
  reference: string[];
  cwd: string;
}

/**
 * When the project writes down the order its reference files run in (a setup script's list), every reference
 * file must be in it and every listed file must exist — otherwise a fresh database built from that list is
 * not the reference (the guide's "the quick setup script does not include the new files").
 * Lines are paths relative to the order file's folder; blank lines and lines starting with `#` are skipped.
 */
export async function checkReferenceOrder(options: ReferenceOrderOptions): Promise<FileCheckResult> {
  const result: FileCheckResult = { findings: [], warnings: [], checked: [] };
  if (!options.orderFile) return result;
  const orderPath = resolve(options.cwd, options.orderFile);
  const show = (p: string) => displayPath(p, options.cwd);
  let text: string;
  try {
    text = await readFile(orderPath, 'utf8');
  } catch {
    throw new InputError(`order file ${show(orderPath)} does not exist; fix "orderFile" in the config or --order-file`);
  }
  const listed = new Map<string, number>();
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const line = raw.replace(/^\uFEFF/, '').trim();
    if (line && !line.startsWith('#')) listed.set(resolve(dirname(orderPath), line), i + 1);
  });
  const present = new Set(options.reference);
  for (const file of options.reference) {
    result.checked.push({ kind: 'reference-file', object: show(file) });
    if (listed.has(file)) continue;
    result.findings.push(orderFinding('reference-file-unlisted', 'unlisted', show(file), `${show(file)} is not listed in ${show(orderPath)}: a database set up from that list lacks it; add it in its place`, { file: show(file), line: 1, column: 1, endLine: 1 }));
  }
  for (const [file, line] of listed) {
    if (present.has(file)) continue;
    result.checked.push({ kind: 'reference-file', object: show(file) });
    result.findings.push(orderFinding('reference-file-not-found', 'not-found', show(file), `${show(orderPath)} line ${line} lists ${show(file)}, which is not a reference file; fix the path or remove the line`, { file: show(orderPath), line, column: 1, endLine: line }));
  }
  return result;
}

function orderFinding(code: string, change: 'unlisted' | 'not-found', object: string, message: string, location: Finding['location']): Finding {
  return { code, severity: 'error', kind: 'reference-file', change, object, message, details: {}, location };
}
