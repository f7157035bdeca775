import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ParseTrees } from '../parse/parse-sql.js';
import { TOOL_VERSION } from '../report/tool-version.js';
import { writeFileAtomically } from './write-file-atomically.js';

/** Bumped whenever what is stored changes shape. */
const FORMAT = 1;

/**
 * Parse trees of the files a run read, by the hash of their text, kept in the cache folder for the next run:
 * the parser returns the same tree for the same text, so a file that did not change is not parsed again (on a
 * pull request of a large project, all but one or two files). One file per parser version, one line per tree;
 * an unreadable file or line is ignored (that text is parsed again), and the file is rewritten with exactly the
 * trees this run used when anything was missing.
 */
export class ParseTreeCache implements ParseTrees {
  private readonly used = new Map<string, string>();
  private missed = false;

  private constructor(
    private readonly path: string,
    private readonly stored: Map<string, string>,
  ) {}

  static async load(dir: string): Promise<ParseTreeCache> {
    const path = join(dir, `${hash(`${FORMAT}\u0000${TOOL_VERSION}\u0000${parserVersion()}`).slice(0, 16)}.ndjson`);
    const stored = new Map<string, string>();
    const text = await readFile(path, 'utf8').catch(() => '');
    for (const line of text.split('\n')) if (line.length > 65 && line[64] === ' ') stored.set(line.slice(0, 64), line.slice(65));
    return new ParseTreeCache(path, stored);
  }

  get(text: string): string | undefined {
    const key = hash(text);
    const json = this.stored.get(key);
    if (json !== undefined) this.used.set(key, json);
    return json;
  }

  /** A tree that was not kept, or whose kept line did not read as one: the file is written again. */
  put(text: string, json: string): void {
    this.used.set(hash(text), json);
    this.missed = true;
  }

  /** Writes the trees this run used, when any was missing (temp + rename: a concurrent reader sees one whole file). */
  async save(): Promise<void> {
    if (!this.missed && this.used.size === this.stored.size) return;
    const lines = [...this.used].map(([key, json]) => `${key} ${json}\n`);
    const dir = join(this.path, '..');
    await mkdir(dir, { recursive: true });
    await writeFileAtomically(this.path, lines.join(''));
  }
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function parserVersion(): string {
  try {
    return String((createRequire(import.meta.url)('libpg-query/package.json') as { version: string }).version);
  } catch {
    return 'unknown';
  }
}
