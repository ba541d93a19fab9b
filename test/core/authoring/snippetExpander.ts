// Expands a VS Code snippet body the way the editor does when the author accepts every default:
// placeholders take their default text (a choice its first option), mirrors repeat it, and
// transforms (${1/regex/format/flags}) are applied to it. `values` stands in for what an author
// types. Written for the tests so that snippet bodies can be checked by the real parser.

type Node =
  | { type: 'text'; text: string }
  | { type: 'stop'; index: number; children: Node[] | null; choices: string[] | null }
  | { type: 'transform'; index: number; regex: RegExp; format: FormatPart[] };

type FormatPart =
  | { type: 'text'; text: string }
  | { type: 'group'; group: number; op?: 'upcase' | 'downcase' | 'capitalize'; ifSet?: string; ifUnset?: string };

class Reader {
  pos = 0;
  constructor(readonly src: string) {}
  peek(n = 0): string | undefined { return this.src[this.pos + n]; }
  eof(): boolean { return this.pos >= this.src.length; }
  take(): string { return this.src[this.pos++] ?? ''; }
  expect(ch: string): void {
    if (this.take() !== ch) throw new Error(`snippet syntax: expected "${ch}" at ${this.pos - 1} in ${this.src}`);
  }
  number(): number {
    const m = /^\d+/.exec(this.src.slice(this.pos));
    if (!m) throw new Error(`snippet syntax: expected a number at ${this.pos} in ${this.src}`);
    this.pos += m[0].length;
    return Number(m[0]);
  }
  /** Text up to an unescaped `stop` character, with backslash escapes of `escapable` removed. */
  until(stop: string, escapable: string): string {
    let out = '';
    while (!this.eof() && this.peek() !== stop) {
      if (this.peek() === '\\' && escapable.includes(this.peek(1) ?? '')) {
        this.pos += 1;
        out += this.take();
      } else {
        out += this.take();
      }
    }
    this.expect(stop);
    return out;
  }
}

function parseNodes(r: Reader, nested: boolean): Node[] {
  const nodes: Node[] = [];
  let text = '';
  const flush = () => { if (text) nodes.push({ type: 'text', text }); text = ''; };
  while (!r.eof()) {
    const ch = r.peek();
    if (ch === '\\' && '$}\\'.includes(r.peek(1) ?? '')) {
      r.pos += 1;
      text += r.take();
    } else if (nested && ch === '}') {
      break;
    } else if (ch === '$' && /\d/.test(r.peek(1) ?? '')) {
      flush();
      r.pos += 1;
      nodes.push({ type: 'stop', index: r.number(), children: null, choices: null });
    } else if (ch === '$' && r.peek(1) === '{') {
      flush();
      r.pos += 2;
      nodes.push(parseBraced(r));
    } else if (ch === '$' && /[A-Z_]/.test(r.peek(1) ?? '')) {
      throw new Error(`snippet variables are not expected in Drydock snippets: ${r.src.slice(r.pos)}`);
    } else {
      text += r.take();
    }
  }
  flush();
  return nodes;
}

function parseBraced(r: Reader): Node {
  const index = r.number();
  const next = r.take();
  if (next === '}') return { type: 'stop', index, children: null, choices: null };
  if (next === ':') {
    const children = parseNodes(r, true);
    r.expect('}');
    return { type: 'stop', index, children, choices: null };
  }
  if (next === '|') {
    const raw = r.until('|', ',|\\');
    r.expect('}');
    // Split on commas that were not escaped: re-read the raw text for escaped commas.
    return { type: 'stop', index, children: null, choices: raw.split(',') };
  }
  if (next === '/') {
    const regex = r.until('/', '/');
    const format = parseFormat(readFormat(r));
    let flags = '';
    while (!r.eof() && r.peek() !== '}') flags += r.take();
    r.expect('}');
    return { type: 'transform', index, regex: new RegExp(regex, flags), format };
  }
  throw new Error(`snippet syntax: unexpected "${next}" after \${${index}`);
}

/** The format part of a transform: up to a "/" that is not inside a ${…} group. */
function readFormat(r: Reader): string {
  let out = '';
  let depth = 0;
  while (!r.eof()) {
    const ch = r.take();
    if (ch === '\\' && (r.peek() === '/' || r.peek() === '\\')) out += ch + r.take();
    else if (ch === '$' && r.peek() === '{') { depth += 1; out += ch + r.take(); }
    else if (ch === '}' && depth > 0) { depth -= 1; out += ch; }
    else if (ch === '/' && depth === 0) return out;
    else out += ch;
  }
  throw new Error(`snippet syntax: unterminated transform in ${r.src}`);
}

function parseFormat(src: string): FormatPart[] {
  const parts: FormatPart[] = [];
  const re = /\$(\d+)|\$\{(\d+)(?::(?:\/(upcase|downcase|capitalize)|\+([^}]*)|\?([^:}]*):([^}]*)|-?([^}]*)))?\}|([^$]+|\$)/g;
  for (const m of src.matchAll(re)) {
    if (m[8] !== undefined) parts.push({ type: 'text', text: m[8] });
    else if (m[1] !== undefined) parts.push({ type: 'group', group: Number(m[1]) });
    else {
      const part: FormatPart = { type: 'group', group: Number(m[2]) };
      if (m[3]) part.op = m[3] as 'upcase' | 'downcase' | 'capitalize';
      if (m[4] !== undefined) part.ifSet = m[4];
      if (m[5] !== undefined) { part.ifSet = m[5]; part.ifUnset = m[6] ?? ''; }
      if (m[7] !== undefined && m[7] !== '') part.ifUnset = m[7];
      parts.push(part);
    }
  }
  return parts;
}

function applyFormat(format: FormatPart[], groups: (string | undefined)[]): string {
  return format.map((p) => {
    if (p.type === 'text') return p.text;
    const value = groups[p.group];
    if (p.ifSet !== undefined || p.ifUnset !== undefined) return value ? (p.ifSet ?? value) : (p.ifUnset ?? '');
    const v = value ?? '';
    if (p.op === 'upcase') return v.toUpperCase();
    if (p.op === 'downcase') return v.toLowerCase();
    if (p.op === 'capitalize') return v.charAt(0).toUpperCase() + v.slice(1);
    return v;
  }).join('');
}

/** The snippet body's text with every placeholder at its default (or at `values[index]`). */
export function expandSnippet(body: string | readonly string[], values: Readonly<Record<number, string>> = {}): string {
  const src = typeof body === 'string' ? body : body.join('\n');
  const nodes = parseNodes(new Reader(src), false);
  const definitions = new Map<number, Node[] | string[]>();
  const collect = (list: Node[]) => {
    for (const n of list) {
      if (n.type !== 'stop') continue;
      if (!definitions.has(n.index) && n.children) definitions.set(n.index, n.children);
      if (!definitions.has(n.index) && n.choices) definitions.set(n.index, n.choices);
      if (n.children) collect(n.children);
    }
  };
  collect(nodes);
  const resolving = new Set<number>();
  const valueOf = (index: number): string => {
    const given = values[index];
    if (given !== undefined) return given;
    const def = definitions.get(index);
    if (!def) return '';
    if (typeof def[0] === 'string' || def.length === 0) return (def as string[])[0] ?? '';
    if (resolving.has(index)) throw new Error(`placeholder ${index} refers to itself`);
    resolving.add(index);
    const text = render(def as Node[]);
    resolving.delete(index);
    return text;
  };
  const render = (list: Node[]): string => list.map((n) => {
    if (n.type === 'text') return n.text;
    if (n.type === 'stop') return valueOf(n.index);
    return valueOf(n.index).replace(n.regex, (...args: unknown[]) => {
      const groups = args.slice(0, args.findIndex((a) => typeof a === 'number')) as (string | undefined)[];
      return applyFormat(n.format, groups);
    });
  }).join('');
  return render(nodes);
}
