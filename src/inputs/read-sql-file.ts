import { readFile } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { displayPath } from './display-path.js';

export interface SqlFile {
  /** Absolute path. */
  path: string;
  /** Path as shown to the user (relative to the working directory when inside it). */
  displayPath: string;
  /** File content decoded as UTF-8, without a byte-order mark. */
  text: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads a SQL file strictly as UTF-8: a wrong encoding is an input error, never silently mangled text. */
export async function readSqlFile(path: string, cwd = process.cwd()): Promise<SqlFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable (permission denied)' : `cannot be read (${code ?? String(error)})`;
    throw new InputError(`${displayPath(path, cwd)}: file ${why}`, { cause: error });
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch (error) {
    throw new InputError(`${displayPath(path, cwd)}: file is not valid UTF-8; save it as UTF-8 and run again`, { cause: error });
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { path, displayPath: displayPath(path, cwd), text };
}
