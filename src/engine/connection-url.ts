import { InputError } from '../errors.js';

/**
 * A Postgres connection URL, checked once, with a printable form. The password is only ever held in `url`
 * (handed to the driver); every message uses `masked`, and maskSecrets() scrubs any text that may have
 * picked the password up (driver errors, stack traces printed by --debug).
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

const secrets = new Set<string>();

/** Replaces every known password, and the password part of any postgres URL, with ***. */
export function maskSecrets(text: string): string {
  let out = text.replace(/(postgres(?:ql)?:\/\/[^:/@\s]*:)[^@\s]*@/gi, '$1***@').replace(/([?&]password=)[^&\s]*/gi, '$1***');
  for (const secret of secrets) out = out.split(secret).join('***');
  return out;
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
  for (const p of passwords) {
    // Both spellings: as written in the URL and percent-decoded (what the driver sends and may echo).
    secrets.add(p);
    secrets.add(safeDecode(p));
  }
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

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
