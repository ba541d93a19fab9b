// JSON of any size, in pieces. JSON.stringify builds one string, and V8 refuses a string longer
// than about 512 MB: the SARIF log of 200,000 statements with three findings each ended `check`
// with "Invalid string length". These pieces, concatenated, are exactly JSON.stringify(value, null,
// indent), each member or item starting a piece of its own (a string value is never split), and
// are made without recursion.

type Frame = { keys: readonly string[] | null; items: readonly unknown[]; next: number; depth: number };

/** True for what JSON.stringify leaves out of an object (and writes as null in an array). */
function omitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/** The pieces of JSON.stringify(value, null, indent), for plain data (objects, arrays, strings, numbers, booleans, null). */
export function* jsonChunks(value: unknown, indent = 2): Generator<string> {
  if (omitted(value)) return;
  const pad = (depth: number) => `\n${' '.repeat(indent * depth)}`;
  const frames: Frame[] = [];
  /** The text of a scalar, or the opening of an object or array (its frame pushed). */
  const open = (item: unknown, depth: number): string => {
    const plain = item !== null && typeof item === 'object' && typeof (item as { toJSON?: unknown }).toJSON === 'function'
      ? (item as { toJSON(): unknown }).toJSON() : item;
    if (plain === null || typeof plain !== 'object') return JSON.stringify(plain) ?? 'null';
    if (Array.isArray(plain)) {
      if (plain.length === 0) return '[]';
      frames.push({ keys: null, items: plain, next: 0, depth });
      return '[';
    }
    const record = plain as Record<string, unknown>;
    const keys = Object.keys(record).filter((k) => !omitted(record[k]));
    if (keys.length === 0) return '{}';
    frames.push({ keys, items: keys.map((k) => record[k]), next: 0, depth });
    return '{';
  };
  let piece = open(value, 0);
  while (frames.length > 0) {
    const frame = frames[frames.length - 1]!;
    if (frame.next === frame.items.length) {
      frames.pop();
      piece += `${pad(frame.depth)}${frame.keys ? '}' : ']'}`;
      continue;
    }
    const index = frame.next++;
    yield piece;
    const item = frame.items[index];
    const prefix = `${index > 0 ? ',' : ''}${pad(frame.depth + 1)}${frame.keys ? `${JSON.stringify(frame.keys[index])}: ` : ''}`;
    piece = prefix + (frame.keys === null && omitted(item) ? 'null' : open(item, frame.depth + 1));
  }
  yield piece;
}
