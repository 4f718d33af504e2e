/** A version range this checker does not read (it knows `^X.Y.Z` and `>=X.Y.Z`, joined by `||`). */
export class RangeSyntaxError extends Error {
  constructor(range: string) {
    super(`cannot read the version range ${JSON.stringify(range)}: expected ^X.Y.Z or >=X.Y.Z alternatives joined by ||`);
    this.name = 'RangeSyntaxError';
  }
}

function parts(v: string): [number, number, number] {
  const [a = 0, b = 0, c = 0] = v.split('.').map(Number);
  return [a, b, c];
}

function atLeast(v: [number, number, number], min: [number, number, number]): boolean {
  for (let i = 0; i < 3; i++) if (v[i] !== min[i]) return v[i]! > min[i]!;
  return true;
}

/** Whether the semver range `range` (an `engines` field) admits `version`. */
export function admits(range: string, version: string): boolean {
  const v = parts(version.replace(/^v/, ''));
  return range.split('||').some((alt) => {
    const m = /^\s*(\^|>=)(\d+(?:\.\d+){0,2})\s*$/.exec(alt);
    if (!m) throw new RangeSyntaxError(range);
    const min = parts(m[2]!);
    return atLeast(v, min) && (m[1] === '>=' || v[0] === min[0]);
  });
}
