// Walks over parse trees of any depth. A statement PostgreSQL runs can be nested thousands of
// levels deep (`1+1+…` with ten thousand terms is a chain of ten thousand A_Expr nodes), deeper
// than a recursive walk (or JSON.stringify) can go on JavaScript's stack; these walks keep a stack
// of their own where a tree is deep.

type TreeRecord = Record<string, unknown>;

// Below this depth a walk recurses (the fastest walk there is, for the trees of almost every
// statement); deeper, it goes on with a stack of its own.
const RECURSION_DEPTH = 400;

/**
 * Visits every object of a tree (arrays are walked through, not visited) in document order,
 * parents before their children, until `visit` returns something other than undefined, which
 * the search returns.
 */
export function searchTree<T>(tree: unknown, visit: (node: TreeRecord) => T | undefined): T | undefined {
  return tree !== null && typeof tree === 'object' ? searchFrom(tree, visit, 0) : undefined;
}

function searchFrom<T>(item: object, visit: (node: TreeRecord) => T | undefined, depth: number): T | undefined {
  if (depth === RECURSION_DEPTH) return searchWithStack(item, visit);
  if (Array.isArray(item)) {
    for (const value of item) {
      if (value === null || typeof value !== 'object') continue;
      const found = searchFrom(value as object, visit, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  const record = item as TreeRecord;
  const here = visit(record);
  if (here !== undefined) return here;
  // for…in, not Object.values: the array Object.values makes for each node was most of a walk's cost.
  for (const key in record) {
    const value = record[key];
    if (value === null || typeof value !== 'object') continue;
    const found = searchFrom(value, visit, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The same search with a stack of its own, for what lies deeper than recursion may go. */
function searchWithStack<T>(tree: object, visit: (node: TreeRecord) => T | undefined): T | undefined {
  const pending: object[] = [tree];
  while (pending.length > 0) {
    const item = pending.pop()!;
    const from = pending.length;
    if (Array.isArray(item)) {
      for (const value of item) if (value !== null && typeof value === 'object') pending.push(value as object);
    } else {
      const record = item as TreeRecord;
      const found = visit(record);
      if (found !== undefined) return found;
      for (const key in record) {
        const value = record[key];
        if (value !== null && typeof value === 'object') pending.push(value);
      }
    }
    // Pushed in document order, taken from the end: reversed, they come off in document order.
    for (let i = from, j = pending.length - 1; i < j; i++, j--) [pending[i], pending[j]] = [pending[j]!, pending[i]!];
  }
  return undefined;
}

/** Visits every object of a tree in document order, parents before their children. */
export function walkTree(tree: unknown, visit: (node: TreeRecord) => void): void {
  searchTree(tree, (node) => {
    visit(node);
    return undefined;
  });
}

/** How treeJson writes a tree. */
export interface TreeJsonOptions {
  /** Keys left out of every object. */
  skipKey?: (key: string) => boolean;
  /** Each object is written as what this returns for it (an object returned is written as it is, not rewritten again). */
  rewrite?: (node: TreeRecord) => unknown;
}

type Frame = { items: readonly unknown[]; next: number; keys: null } | { items: readonly unknown[]; next: number; keys: readonly string[] };

/**
 * The tree as JSON.stringify writes it (no spaces; undefined members left out, undefined array
 * items as null), with `skipKey` and `rewrite` applied to every object.
 */
export function treeJson(tree: unknown, options: TreeJsonOptions = {}): string {
  const out: string[] = [];
  const frames: Frame[] = [];
  /** Writes a scalar, or opens the frame of an object or array; false for a value JSON leaves out (undefined). */
  const begin = (raw: unknown): boolean => {
    const value = raw !== null && typeof raw === 'object' && !Array.isArray(raw) && options.rewrite ? options.rewrite(raw as TreeRecord) : raw;
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return false;
    if (value === null || typeof value !== 'object') {
      out.push(JSON.stringify(value));
      return true;
    }
    if (Array.isArray(value)) {
      out.push('[');
      frames.push({ items: value, next: 0, keys: null });
      return true;
    }
    const record = value as TreeRecord;
    const keys: string[] = [];
    const items: unknown[] = [];
    for (const key in record) {
      if (options.skipKey?.(key)) continue;
      keys.push(key);
      items.push(record[key]);
    }
    out.push('{');
    frames.push({ items, next: 0, keys });
    return true;
  };
  if (!begin(tree)) return undefined as unknown as string;
  while (frames.length > 0) {
    const frame = frames[frames.length - 1]!;
    if (frame.next === frame.items.length) {
      frames.pop();
      out.push(frame.keys ? '}' : ']');
      continue;
    }
    const index = frame.next++;
    const item = frame.items[index];
    const comma = out[out.length - 1] === '{' || out[out.length - 1] === '[' ? '' : ',';
    if (frame.keys) {
      // A member whose value JSON leaves out is not written at all, key included.
      const at = out.length;
      out.push(`${comma}${JSON.stringify(frame.keys[index])}:`);
      if (!begin(item)) out.length = at;
    } else {
      if (comma) out.push(comma);
      if (!begin(item)) out.push('null');
    }
  }
  return out.join('');
}
