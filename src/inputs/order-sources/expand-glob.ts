import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

/**
 * The files a shell glob (`01_tables/*.sql`) names below `base`, sorted by code point as bash does in the C
 * locale. Only `*`, `?` and `[…]` are understood, within one path segment each (no `**`).
 */
export function expandGlob(base: string, pattern: string): string[] {
  let paths = [isAbsolute(pattern) ? '/' : base];
  const segments = pattern.split('/').filter((s, i) => s !== '' || i > 0);
  for (const [i, segment] of segments.entries()) {
    const last = i === segments.length - 1;
    const next: string[] = [];
    for (const dir of paths) {
      if (!/[*?[]/.test(segment)) {
        next.push(join(dir, segment));
        continue;
      }
      const re = segmentRegExp(segment);
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        continue;
      }
      for (const name of names.sort()) {
        if (name.startsWith('.') && !segment.startsWith('.')) continue;
        if (re.test(name)) next.push(join(dir, name));
      }
    }
    paths = last ? next.filter(isFile) : next;
  }
  return paths;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function segmentRegExp(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = segment.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        re += `[${segment.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
