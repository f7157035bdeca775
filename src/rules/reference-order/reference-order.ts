import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { InputError } from '../../errors.js';
import type { FileCheckResult, Finding } from '../../report/finding.js';
import { displayPath } from '../../inputs/display-path.js';
import type { REFERENCE_ORDER_CODES } from './reference-order-codes.js';
import { expandGlob } from '../../inputs/order-sources/expand-glob.js';
import { extractOrder, FORM_NAMES } from '../../inputs/order-sources/extract-order.js';
import type { OrderEntry, OrderForm } from '../../inputs/order-sources/order-entry.js';

export interface ReferenceOrderOptions {
  /**
   * The order file (relative to `cwd`): a list of paths, a shell script, a Markdown file with the setup
   * script in a code block, a psql script of `\i` lines or a Makefile. Undefined: use a setup script found next
   * to the reference (see ORDER_FILE_CANDIDATES), if any; false: none.
   */
  orderFile?: string | false;
  /** The reference files the pipeline applies (absolute). */
  reference: string[];
  /** The reference paths as given (folders or files): listed paths are also resolved against them, and a setup script is looked for next to them. */
  referenceRoots?: string[];
  cwd: string;
  /** --debug: what was read out of the order file. */
  onDebug?: (message: string) => void;
}

/** One `.sql` file the order file runs, resolved. */
export interface OrderedFile {
  /** Absolute path. */
  file: string;
  /** The path as the order file writes it (after variables). */
  written: string;
  /** Line of the order file that names it, and of the command that runs it. */
  line: number;
  runLine: number;
  /** It is one of the reference files. */
  isReference: boolean;
}

/** The reference's setup order, read out of the project's order file. */
export interface ReferenceOrder {
  /** The order file (absolute). */
  path: string;
  form: OrderForm;
  files: OrderedFile[];
  /** Found next to the reference, not configured. */
  discovered: boolean;
}

/** Where a setup script is looked for when no order file is configured: in a reference folder, or next to it. */
const IN_FOLDER = ['README.md', 'setup.sh', 'Makefile'];
const NEXT_TO_FOLDER = ['setup.sh', 'Makefile'];

/**
 * When the project writes down the order its reference files run in (a setup script), every reference file
 * must be in it and every file it runs must be a reference file — otherwise a fresh database built from that
 * script is not the reference (a setup script that was not updated when files were added).
 */
export async function checkReferenceOrder(options: ReferenceOrderOptions): Promise<FileCheckResult & { order?: ReferenceOrder }> {
  const order = await loadReferenceOrder(options);
  if (!order) return { findings: [], warnings: [], checked: [] };
  const result = orderFindings(order, options.reference, options.cwd);
  if (order.discovered) result.warnings.unshift(discoveredNote(order, options.cwd));
  return { ...result, order };
}

/** The one line saying which setup script is checked when none was configured. */
export function discoveredNote(order: ReferenceOrder, cwd: string): string {
  return `checking the reference against the setup order in ${displayPath(order.path, cwd)}, found with the reference files (set "orderFile" to name another file, or to false to turn this off)`;
}

/** Reads the order file (the configured one, else one found next to the reference); undefined when there is none. */
export async function loadReferenceOrder(options: ReferenceOrderOptions): Promise<ReferenceOrder | undefined> {
  if (options.orderFile === false) return undefined;
  const show = (p: string) => displayPath(p, options.cwd);
  if (options.orderFile) {
    const path = resolve(options.cwd, options.orderFile);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      throw new InputError(`order file ${show(path)} does not exist; fix "orderFile" in the config or --order-file`);
    }
    const order = readOrder(path, text, options, false);
    if (order.files.length === 0) {
      throw new InputError(`order file ${show(path)}: no .sql path could be read from it as ${FORM_NAMES[order.form]}; it should run each reference file (psql -f FILE, \\i FILE, a bash array of paths) or list one path per line (run with --debug to see what was skipped)`);
    }
    return order;
  }
  for (const candidate of orderFileCandidates(options.referenceRoots ?? [], options.cwd)) {
    let text: string;
    try {
      text = await readFile(candidate, 'utf8');
    } catch {
      continue;
    }
    // Only a file that runs reference files is a setup script: a README without one is just a README.
    const order = readOrder(candidate, text, options, true);
    if (order.files.some((f) => f.isReference)) return order;
    options.onDebug?.(`${show(candidate)} runs no reference file: not used as the order file`);
  }
  return undefined;
}

function orderFileCandidates(roots: string[], cwd: string): string[] {
  const folders = roots.map((r) => resolve(cwd, r)).filter((r) => isDirectory(r));
  const candidates = [...folders.flatMap((f) => IN_FOLDER.map((n) => join(f, n))), ...folders.flatMap((f) => NEXT_TO_FOLDER.map((n) => join(dirname(f), n)))];
  return [...new Set(candidates)];
}

function readOrder(path: string, text: string, options: ReferenceOrderOptions, discovered: boolean): ReferenceOrder {
  const extracted = extractOrder(path, text);
  const bases = resolutionBases(path, options);
  const referenceSet = new Set(options.reference);
  const files = extracted.entries.flatMap((entry) => resolveEntry(entry, bases, referenceSet));
  if (options.onDebug) {
    const show = (p: string) => displayPath(p, options.cwd);
    const lines = [`order file ${show(path)} read as ${FORM_NAMES[extracted.form]}: ${files.length} .sql path${files.length === 1 ? '' : 's'}`];
    for (const f of files) lines.push(`  line ${f.line}${f.runLine !== f.line ? ` (run at line ${f.runLine})` : ''}: ${f.written} → ${show(f.file)}${f.isReference ? '' : ' (not a reference file)'}`);
    for (const note of extracted.notes) lines.push(`  ${note}`);
    options.onDebug(lines.join('\n'));
  }
  return { path, form: extracted.form, files, discovered };
}

/** A listed path is looked for next to the order file, then in each reference folder, then in the working directory. */
function resolutionBases(orderPath: string, options: ReferenceOrderOptions): string[] {
  const roots = (options.referenceRoots ?? []).map((r) => resolve(options.cwd, r)).map((r) => (isDirectory(r) ? r : dirname(r)));
  return [...new Set([dirname(orderPath), ...roots, options.cwd])];
}

function resolveEntry(entry: OrderEntry, bases: string[], referenceSet: Set<string>): OrderedFile[] {
  const make = (file: string): OrderedFile => ({ file, written: entry.path, line: entry.line, runLine: entry.runLine, isReference: referenceSet.has(file) });
  if (entry.glob) {
    for (const base of bases) {
      const matches = expandGlob(base, entry.path).filter((f) => /\.sql$/i.test(f));
      if (matches.length) return matches.map(make);
    }
    return [make(resolve(bases[0], entry.path))];
  }
  if (isAbsolute(entry.path)) return [make(entry.path)];
  const candidates = bases.map((b) => resolve(b, entry.path));
  return [make(candidates.find((c) => referenceSet.has(c)) ?? candidates.find((c) => existsSync(c)) ?? candidates[0])];
}

/** Reference files the order leaves out (`reference-file-unlisted`) and files it runs that are not reference files (`reference-file-not-found`). */
export function orderFindings(order: ReferenceOrder, reference: string[], cwd: string): FileCheckResult {
  const result: FileCheckResult = { findings: [], warnings: [], checked: [] };
  const show = (p: string) => displayPath(p, cwd);
  const orderFile = show(order.path);
  const listed = new Map<string, OrderedFile>();
  for (const f of order.files) if (!listed.has(f.file)) listed.set(f.file, f);
  for (const file of reference) {
    result.checked.push({ kind: 'reference-file', object: show(file) });
    if (listed.has(file)) continue;
    result.findings.push(
      orderFinding('reference-file-unlisted', 'unlisted', show(file), `${show(file)} is not run by ${orderFile}: a database set up from it lacks what the file creates; add it in its place`, { file: show(file), line: 1, column: 1, endLine: 1 }, { orderFile }),
    );
  }
  for (const [file, entry] of listed) {
    if (entry.isReference) continue;
    result.checked.push({ kind: 'reference-file', object: show(file) });
    const what = existsSync(file) ? 'a file outside the reference' : 'no such file';
    result.findings.push(
      orderFinding('reference-file-not-found', 'not-found', show(file), `${orderFile} line ${entry.line} runs ${entry.written}, which is not a reference file (${what}); fix the path or remove it`, { file: orderFile, line: entry.line, column: 1, endLine: entry.line }, { orderFile, written: entry.written }),
    );
  }
  return result;
}

function orderFinding(code: (typeof REFERENCE_ORDER_CODES)[number]['code'], change: 'unlisted' | 'not-found', object: string, message: string, location: Finding['location'], details: Record<string, unknown>): Finding {
  return { code, severity: 'error', kind: 'reference-file', change, object, message, details, location };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
