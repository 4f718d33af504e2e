/**
 * A parser for the small subset of YAML that render.yaml uses, so the Blueprint can be checked by
 * a test without a YAML dependency: block mappings and sequences (indented with spaces),
 * `- key: value` items, plain, 'single' and "double" quoted scalars, `[]` and `{}`, and comments.
 * Anything outside the subset (anchors, aliases, tags, block scalars `|`/`>`, flow collections with
 * content, several documents, tabs) is an error naming the line, so render.yaml stays simple and
 * the check never silently misreads it.
 */

export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

export class YamlSubsetError extends Error {
  constructor(file: string, line: number, message: string) {
    super(`${file}:${line}: ${message}`);
    this.name = 'YamlSubsetError';
  }
}

interface Line {
  readonly no: number;
  readonly indent: number;
  readonly text: string;
}

/** The line without its comment (a `#` at the start or after a space, outside quotes). */
function stripComment(raw: string): string {
  let quote: string | undefined;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i++;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#' && (i === 0 || raw[i - 1] === ' ')) {
      return raw.slice(0, i);
    }
  }
  return raw;
}

const KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[A-Za-z_][\w.-]*)\s*:(?:\s+|$)/;

export function parseYamlSubset(source: string, file = 'render.yaml'): YamlValue {
  const lines: Line[] = [];
  source.split(/\r?\n/).forEach((raw, i) => {
    const no = i + 1;
    if (/^\s*\t/.test(raw)) throw new YamlSubsetError(file, no, 'tabs are not allowed for indentation');
    const text = stripComment(raw).trimEnd();
    if (text.trim() === '') return;
    if (/^(---|\.\.\.)(\s|$)/.test(text)) throw new YamlSubsetError(file, no, 'document markers are outside the supported subset');
    const indent = text.length - text.trimStart().length;
    lines.push({ no, indent, text: text.trimStart() });
  });
  let pos = 0;
  const fail = (line: Line | undefined, message: string): never => {
    throw new YamlSubsetError(file, line?.no ?? lines.at(-1)?.no ?? 1, message);
  };

  const scalar = (text: string, line: Line): YamlValue => {
    if (text === '[]') return [];
    if (text === '{}') return {};
    if (/^[&*!|>[{@`%]/.test(text)) fail(line, `${JSON.stringify(text)} uses YAML outside the supported subset`);
    if (text.startsWith('"')) {
      if (!/^"(?:[^"\\]|\\.)*"$/.test(text)) fail(line, `unterminated or trailing text after a "quoted" scalar: ${text}`);
      return JSON.parse(text) as string;
    }
    if (text.startsWith("'")) {
      if (!/^'(?:[^']|'')*'$/.test(text)) fail(line, `unterminated or trailing text after a 'quoted' scalar: ${text}`);
      return text.slice(1, -1).replace(/''/g, "'");
    }
    if (text === 'true' || text === 'false') return text === 'true';
    if (text === 'null' || text === '~') return null;
    if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
    if (/:\s|\s#/.test(text)) fail(line, `plain scalar ${JSON.stringify(text)} is ambiguous: quote it`);
    return text;
  };

  const keyOf = (token: string): string => {
    if (token.startsWith('"')) return JSON.parse(token) as string;
    if (token.startsWith("'")) return token.slice(1, -1).replace(/''/g, "'");
    return token;
  };

  const isItem = (l: Line): boolean => l.text === '-' || l.text.startsWith('- ');

  function node(indent: number): YamlValue {
    const first = lines[pos];
    if (first === undefined) return null;
    if (first.indent !== indent) fail(first, `expected indentation ${indent}, found ${first.indent}`);
    return isItem(first) ? sequence(indent) : mapping(indent);
  }

  /** The value after `key:` or `-` when it is on the following lines (or absent). */
  function nested(parentIndent: number, allowSameIndentSequence: boolean): YamlValue {
    const next = lines[pos];
    if (next === undefined) return null;
    if (next.indent > parentIndent) return node(next.indent);
    if (allowSameIndentSequence && next.indent === parentIndent && isItem(next)) return sequence(parentIndent);
    return null;
  }

  function sequence(indent: number): YamlValue[] {
    const out: YamlValue[] = [];
    for (let l = lines[pos]; l !== undefined && l.indent === indent && isItem(l); l = lines[pos]) {
      const rest = l.text.slice(1).trimStart();
      if (rest === '') {
        pos++;
        out.push(nested(indent, false));
      } else if (KEY.test(rest)) {
        // `- key: value`: a mapping whose keys sit at the column of `key`.
        const column = indent + (l.text.length - rest.length);
        lines[pos] = { no: l.no, indent: column, text: rest };
        out.push(mapping(column));
      } else {
        pos++;
        out.push(scalar(rest, l));
      }
    }
    const l = lines[pos];
    if (l !== undefined && l.indent > indent) fail(l, 'unexpected indentation');
    return out;
  }

  function mapping(indent: number): { [key: string]: YamlValue } {
    const out: { [key: string]: YamlValue } = {};
    for (let l = lines[pos]; l !== undefined && l.indent === indent && !isItem(l); l = lines[pos]) {
      const m = KEY.exec(l.text);
      if (m === null || m[1] === undefined) return fail(l, `expected "key: value", found ${JSON.stringify(l.text)}`);
      const key = keyOf(m[1]);
      if (Object.hasOwn(out, key)) fail(l, `duplicate key ${JSON.stringify(key)}`);
      const rest = l.text.slice(m[0].length);
      pos++;
      out[key] = rest === '' ? nested(indent, true) : scalar(rest, l);
    }
    const l = lines[pos];
    if (l !== undefined && l.indent > indent) fail(l, 'unexpected indentation');
    return out;
  }

  if (lines.length === 0) return null;
  const doc = node(lines[0]?.indent ?? 0);
  if (pos < lines.length) fail(lines[pos], 'unexpected content (check the indentation)');
  return doc;
}
