import { randomBytes } from 'node:crypto';
import { InputError } from '../errors.js';

/**
 * A Postgres connection URL, checked once, with a printable form. The password is only ever held in `url`
 * (handed to the driver); every message uses `masked`, and maskSecrets() scrubs the password out of any URL
 * or connection setting that text may have picked up (driver errors, stack traces printed by --debug).
 */
export interface ConnectionUrl {
  /** The URL as given, for the driver only. */
  url: string;
  /** The URL with its password replaced by ***, for messages. */
  masked: string;
  /** host:port (or the socket folder), for messages: "127.0.0.1:5432". */
  server: string;
  /** The database the URL names ("postgres" when it names none). */
  database: string;
  /** The user name the URL names, if any. */
  user?: string;
  hasPassword: boolean;
}

/**
 * URLs given to this process, as written and as the URL class writes them back, with their masked forms. A
 * password with characters the pattern below does not expect (a space, an @) is still masked where its URL
 * is printed whole. Only whole URLs are replaced: a password is often a common word ("postgres", "verify"),
 * and replacing it wherever it occurs would mangle every message that happens to contain it.
 */
const knownUrls = new Map<string, string>();

/** The password part of a postgres URL (user:password@) and of a password= setting, up to its delimiter. */
const URL_PASSWORD = /(postgres(?:ql)?:\/\/[^:/@\s]*:)[^@\s]*@/gi;
const PASSWORD_SETTING = /(\bpassword=)(?:'(?:[^'\\]|\\.)*'|[^&\s]*)/gi;

/** Replaces the password of every postgres URL (and password= setting) in `text` with ***; nothing else. */
export function maskSecrets(text: string): string {
  let out = text;
  // Longest first: one known URL may be the prefix of another.
  for (const [url, masked] of [...knownUrls].sort((a, b) => b[0].length - a[0].length)) out = out.split(url).join(masked);
  return maskPatterns(out);
}

function maskPatterns(text: string): string {
  return text.replace(URL_PASSWORD, '$1***@').replace(PASSWORD_SETTING, '$1***');
}

/** Parses a postgres:// URL given by `flag` (for messages) and remembers its password as a secret. */
export function parseConnectionUrl(raw: string, flag: string): ConnectionUrl {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new InputError(`${flag} is not a valid URL (${maskSecrets(raw)}); expected postgres://user:password@host:5432/database`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new InputError(`${flag} must be a postgres:// or postgresql:// URL, not ${parsed.protocol}//…; expected postgres://user:password@host:5432/database`);
  }
  const passwords = [parsed.password, parsed.searchParams.get('password') ?? ''].filter((p) => p.length > 0);
  if (passwords.length > 0) rememberUrl(raw, parsed, passwords);
  const socketHost = parsed.searchParams.get('host');
  const host = parsed.hostname || socketHost || 'localhost';
  const database = safeDecode(parsed.pathname.replace(/^\//, '')) || 'postgres';
  return {
    url: raw,
    masked: maskSecrets(raw),
    server: `${host}:${parsed.port || '5432'}`,
    database,
    user: parsed.username ? safeDecode(parsed.username) : undefined,
    hasPassword: passwords.length > 0,
  };
}

/** The same server and credentials, another database. */
export function withDatabase(url: ConnectionUrl, database: string): string {
  const parsed = new URL(url.url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/**
 * Remembers a URL with a password, as given and as the URL class serialises it (see withDatabase), with its
 * masked form: the text as given with the password patterns masked, or, when that leaves the password in
 * (characters the patterns stop at), the serialised URL with its password set to ***.
 */
function rememberUrl(raw: string, parsed: URL, passwords: string[]): void {
  let printable = maskPatterns(raw);
  if (passwords.some((p) => printable.includes(p))) {
    const placeholder = `p${randomBytes(8).toString('hex')}`;
    const copy = new URL(parsed.toString());
    if (copy.password) copy.password = placeholder;
    if (copy.searchParams.has('password')) copy.searchParams.set('password', placeholder);
    printable = copy.toString().split(placeholder).join('***');
  }
  knownUrls.set(raw, printable);
  knownUrls.set(parsed.toString(), printable);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
