/**
 * Whether changing a column from one type to another keeps every value (format_type spellings): widening
 * integers, longer or unbounded varchar/char, numeric with at least as many digits on both sides of the
 * point, real to double precision, and varchar/char to text. Every other change may lose or reject data.
 */
export function isWideningTypeChange(from: string, to: string): boolean {
  if (from === to) return true;
  const ints = ['smallint', 'integer', 'bigint'];
  if (ints.includes(from) && ints.includes(to)) return ints.indexOf(to) >= ints.indexOf(from);
  // Digits the largest value of each integer type has: numeric(p, s) holds it when p - s is at least that.
  const digits: Record<string, number> = { smallint: 5, integer: 10, bigint: 19 };
  const toNumeric = /^numeric(?:\((\d+),(\d+)\))?$/.exec(to);
  if (ints.includes(from) && toNumeric) return toNumeric[1] === undefined || Number(toNumeric[1]) - Number(toNumeric[2]) >= digits[from];
  if (from === 'real' && to === 'double precision') return true;
  const varchar = /^character varying(?:\((\d+)\))?$/;
  const char = /^character(?:\((\d+)\))?$/;
  const f = varchar.exec(from) ?? char.exec(from);
  if (f && (to === 'text' || to === 'character varying')) return true;
  const t = varchar.exec(to);
  if (f && t) return t[1] === undefined || (f[1] !== undefined && Number(t[1]) >= Number(f[1]));
  if (from === 'text' && to === 'character varying') return true;
  const numeric = /^numeric(?:\((\d+),(\d+)\))?$/;
  const nf = numeric.exec(from);
  const nt = numeric.exec(to);
  if (nf && nt) {
    if (nt[1] === undefined) return true;
    if (nf[1] === undefined) return false;
    const [pf, sf, pt, st] = [nf[1], nf[2], nt[1], nt[2]].map(Number);
    return st >= sf && pt - st >= pf - sf;
  }
  return false;
}
