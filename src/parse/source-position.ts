/** Line/column arithmetic on source text. Lines and columns are 1-based; columns count characters. */

export interface SourcePosition {
  line: number;
  column: number;
}

/** Maps character offsets in one text to line/column, with a precomputed table of line starts. */
export class LineIndex {
  private readonly lineStarts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      // \r\n counts once (at its \n); a lone \r (old Mac files) also ends a line.
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) this.lineStarts.push(i + 1);
    }
  }

  position(offset: number): SourcePosition {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.lineStarts[lo] + 1 };
  }

  /** The text of a 1-based line, without its line ending. */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1] ?? this.text.length;
    const end = this.lineStarts[line] ?? this.text.length;
    return this.text.slice(start, end).replace(/\r?\n$|\r$/, '');
  }

  /** The offending line with a caret under the column: what compilers print under an error. */
  excerpt(position: SourcePosition): string {
    const text = this.lineText(position.line).replace(/\t/g, ' ');
    const gutter = `${position.line} | `;
    return `${gutter}${text}\n${' '.repeat(gutter.length + Math.max(0, position.column - 1))}^`;
  }
}

/**
 * libpg_query reports statement locations as UTF-8 byte offsets; JavaScript strings index UTF-16 units.
 * Converts byte offsets to string offsets (identity for ASCII text, which is the common case).
 */
export function byteToCharOffsets(text: string): (byteOffset: number) => number {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length === text.length) return (b) => b;
  return (b) => bytes.subarray(0, b).toString('utf8').length;
}
