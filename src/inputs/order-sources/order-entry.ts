/** The forms an order file can take; each has its own reader in this folder. */
export type OrderForm = 'list' | 'shell' | 'markdown' | 'psql' | 'makefile';

/**
 * One `.sql` path a setup script runs, as written (variables expanded, an unknown leading `$DIR/` dropped),
 * not yet resolved against any folder.
 */
export interface OrderEntry {
  path: string;
  /** Line of the order file where the path is written (an array element, a list line, a `-f` argument). */
  line: number;
  /** Line of the command that runs it (the `psql -f "$SCHEMA_DIR/$f"` of a loop); equals `line` when the path is written there. */
  runLine: number;
  /** Unquoted `*`, `?` or `[…]`: a shell glob, expanded against the folders (sorted, as bash does). */
  glob?: boolean;
}

/** What a reader got out of an order file: the paths in run order, and what it skipped or assumed (for --debug). */
export interface ExtractedOrder {
  form: OrderForm;
  entries: OrderEntry[];
  notes: string[];
}

/** A line of text with its line number in the order file. */
export interface NumberedLine {
  text: string;
  line: number;
}

/** Only `.sql` paths are taken from a setup script: anything else it runs is not a reference file. */
export function isSqlPath(path: string): boolean {
  return /\.sql$/i.test(path);
}

/** The text split into numbered lines, the first numbered `firstLine` (a Markdown code block starts mid-file). */
export function numberedLines(text: string, firstLine = 1): NumberedLine[] {
  return text.split(/\r\n|\r|\n/).map((t, i) => ({ text: t.replace(/^\uFEFF/, ''), line: firstLine + i }));
}
