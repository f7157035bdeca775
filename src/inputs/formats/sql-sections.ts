/**
 * Helpers for formats that run only part of a file (goose's Up section, dbmate's migrate:up): the parts not
 * run are blanked rather than cut, so every statement that is run keeps the line (and, unless a placeholder was
 * substituted before it on its line, the column) it has in the file.
 */

/** A file's lines with their line endings, so joining them gives the file back unchanged. */
export interface SourceLine {
  /** The line without its ending. */
  text: string;
  /** "\n", "\r\n", "\r" or "" (last line). */
  ending: string;
}

export function splitLines(text: string): SourceLine[] {
  const lines: SourceLine[] = [];
  const re = /\r\n|\r|\n/g;
  let start = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    lines.push({ text: text.slice(start, m.index), ending: m[0] });
    start = m.index + m[0].length;
  }
  lines.push({ text: text.slice(start), ending: '' });
  return lines;
}

/** Spaces of the same length, so what follows on later lines does not move. */
export function blank(text: string): string {
  return ' '.repeat(text.length);
}

/** Joins lines back into a file's text: lines kept as given (possibly rewritten), the others blanked. */
export function joinLines(lines: SourceLine[], keep: (line: SourceLine, index: number) => string | false): string {
  return lines.map((line, i) => {
    const kept = keep(line, i);
    return `${kept === false ? blank(line.text) : kept}${line.ending}`;
  }).join('');
}
