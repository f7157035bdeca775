/**
 * Reads the JSON5 that tool config files are written in (graphile-migrate's .gmrc): JSON plus comments,
 * trailing commas, single-quoted strings and unquoted keys. Rewritten to JSON, then parsed by JSON.parse.
 * Throws SyntaxError with JSON.parse's message when the text is not that.
 */
export function parseJson5Lite(text: string): unknown {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else if (c === '"' || c === "'") {
      let value = '';
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\' && i + 1 < text.length) {
          const e = text[i + 1];
          // A backslash before a line break continues the string (JSON5); others are JSON escapes.
          if (e === '\n') value += '';
          else if (e === "'") value += "'";
          else value += JSON.parse(`"\\${e === 'u' ? text.slice(i + 1, i + 6) : e}"`);
          i += e === 'u' ? 6 : 2;
        } else value += text[i++];
      }
      i++;
      out += JSON.stringify(value);
    } else if (c === ',') {
      // A trailing comma: the next meaningful character closes the object or array.
      let j = i + 1;
      for (;;) {
        while (j < text.length && /\s/.test(text[j])) j++;
        if (text.startsWith('//', j)) while (j < text.length && text[j] !== '\n') j++;
        else if (text.startsWith('/*', j)) j = text.indexOf('*/', j) < 0 ? text.length : text.indexOf('*/', j) + 2;
        else break;
      }
      if (text[j] !== '}' && text[j] !== ']') out += ',';
      i++;
    } else if (/[A-Za-z_$]/.test(c)) {
      const word = /^[A-Za-z_$][\w$]*/.exec(text.slice(i))![0];
      i += word.length;
      let j = i;
      while (j < text.length && /\s/.test(text[j])) j++;
      // An unquoted key (followed by a colon); true/false/null and numbers stay as they are.
      out += text[j] === ':' ? JSON.stringify(word) : word === 'Infinity' || word === 'NaN' ? 'null' : word;
    } else {
      out += c;
      i++;
    }
  }
  return JSON.parse(out);
}
