import type { Checkpoints } from './checkpoints.js';

/**
 * The one interface every engine implements: a throw-away database that SQL can be run in and read from.
 * PGlite and a real server differ only behind it (as kysely's dialects differ only in their driver).
 */
export interface ScratchDatabase {
  /** A short label for messages: "reference" or "migrations". */
  readonly label: string;
  /** Runs one or more statements with the simple query protocol (no parameters), as psql would. */
  exec(sql: string): Promise<void>;
  /**
   * A statement of the inputs this database must not run, decided from its parse tree: on a server, whose
   * roles are shared by both sides, the CREATE ROLE of a role made for the run (it exists already; roles
   * are not compared). Absent: every statement runs.
   */
  skips?(statement: { type: string; node: Record<string, any> }): boolean;
  /** Runs one parameterised query and returns its rows. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Frees everything the database holds (files, server database); safe to call twice. */
  close(): Promise<void>;
  /**
   * Saves the database's current state so a later run can start from it (the checkpoint cache). Engines
   * that cannot do this leave it out; the caller then simply replays everything.
   */
  saveCheckpoint?(destination: string): Promise<void>;
  /**
   * Takes the database's current state now, to be written to a destination later (as saveCheckpoint writes
   * it), so the write can go on while the run continues. Engines whose checkpoint is made where the database
   * lives (a server's template database) leave it out.
   */
  captureCheckpoint?(): Promise<CapturedCheckpoint>;
}

/** A state taken by captureCheckpoint: written at most once, then discarded (also when it is not written). */
export interface CapturedCheckpoint {
  write(destination: string): Promise<void>;
  discard(): Promise<void>;
}

export interface EngineInfo {
  /** "pglite" or "server". */
  name: string;
  /** Server version as Postgres reports it, e.g. "18.1". */
  version: string;
  /** server_version_num, e.g. 180001. */
  versionNum: number;
  /**
   * What else a catalog read on this engine depends on, for the cache keys: on a server, which server and
   * role, its superusers (left out of privileges), the settings that change how expressions print, and the
   * extension versions it would install.
   */
  identity?: string;
}

export interface ScratchRequest {
  label: string;
  /** Contrib extensions the SQL will create (PGlite must load them when it starts). */
  extensions: string[];
  /** Start from a state saved by saveCheckpoint instead of an empty database. */
  fromCheckpoint?: string;
  /** How many statements will run: an engine may pick a faster storage for large inputs. */
  statements?: number;
  /**
   * This side runs more statements than the other: an engine with a faster storage that costs much more
   * memory gives it to this side only, which bounds the run's memory (the other side finishes earlier anyway).
   */
  largest?: boolean;
}

/** Creates scratch databases on one engine. */
export interface Engine {
  readonly info: EngineInfo;
  /** The engine can start scratch databases from checkpoints (see ScratchDatabase.saveCheckpoint). */
  readonly supportsCheckpoints: boolean;
  /**
   * Where this engine keeps checkpoints when not in the cache folder (a server keeps them as template
   * databases); absent: the cache folder's checkpoint store.
   */
  readonly checkpoints?: Checkpoints;
  createScratch(request: ScratchRequest): Promise<ScratchDatabase>;
  /**
   * Engines whose scratch databases share one cluster (a server) make the roles the run needs, through the
   * given scratch database before its first statement, and drop the ones they created at close. Absent: each scratch database is its own
   * cluster and the per-side prelude creates them.
   */
  prepareRoles?(roles: string[], on: ScratchDatabase): Promise<void>;
  /** Releases the engine (and anything its scratch databases left). */
  close(): Promise<void>;
}

/** The error fields Postgres reports, as both drivers expose them. */
export interface PostgresErrorFields {
  message: string;
  code?: string;
  detail?: string;
  hint?: string;
  position?: string | number;
  where?: string;
}

export function asPostgresError(error: unknown): PostgresErrorFields | undefined {
  if (error && typeof error === 'object' && 'message' in error && 'code' in error && typeof (error as { code: unknown }).code === 'string') {
    const code = (error as { code: string }).code;
    // Postgres SQLSTATEs are five characters; Node's own errors (ECONNREFUSED, …) are not Postgres errors.
    if (/^[0-9A-Z]{5}$/.test(code)) return error as PostgresErrorFields;
  }
  return undefined;
}
