/**
 * Errors that mean "could not verify" (exit code 2). They carry a one-line, user-facing message that says
 * what is wrong, where, and what to do; the CLI prints only that line unless --debug is given.
 */
export class VerifyError extends Error {
  /** Extra lines shown under the message (e.g. the offending source line and a caret). */
  readonly excerpt?: string;
  constructor(message: string, options?: { excerpt?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'VerifyError';
    this.excerpt = options?.excerpt;
  }
}

/** Input files or flags are wrong: missing path, bad config, duplicate migration version, … */
export class InputError extends VerifyError {
  constructor(message: string, options?: { excerpt?: string; cause?: unknown }) {
    super(message, options);
    this.name = 'InputError';
  }
}

/** A statement could not be parsed or failed when applied to the scratch database. */
export class SqlApplyError extends VerifyError {
  constructor(message: string, options?: { excerpt?: string; cause?: unknown }) {
    super(message, options);
    this.name = 'SqlApplyError';
  }
}

/** The database engine itself failed (could not start, connection lost, …). */
export class EngineError extends VerifyError {
  constructor(message: string, options?: { excerpt?: string; cause?: unknown }) {
    super(message, options);
    this.name = 'EngineError';
  }
}
