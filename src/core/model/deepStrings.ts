// A copy of JSON data with every string (object keys too) passed through a function: how a report
// is masked or made safe for a terminal before any renderer sees it. Iterative, so no depth of
// nesting and no size can overflow the stack. Data that the function leaves as it is (the common
// case: no password echoed, no control character) is returned itself after one read-only pass;
// otherwise it is copied, and an object reached twice (a report's error is also its failed
// statement's) is copied once, so identities the renderers compare survive. JSON data has no
// cycles (a report is JSON-serialisable by contract).

type StringMap = (text: string) => string;

/** `value` with `map` applied to every string in it, keys included (a Date or Buffer as JSON shows it). */
export function mapStringsDeep<T>(value: T, map: StringMap): T {
  return changesAnything(value, map) ? copyMapped(value, map) : value;
}

// A Set of visited objects would cost more than the walk itself on a 200,000-statement report:
// without cycles, a shared object is merely read twice.
function changesAnything(value: unknown, map: StringMap): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const data = asJson(pending.pop());
    if (typeof data === 'string') {
      if (map(data) !== data) return true;
    } else if (Array.isArray(data)) {
      for (let i = 0; i < data.length; i++) pending.push(data[i]);
    } else if (typeof data === 'object' && data !== null) {
      for (const key of Object.keys(data)) {
        if (map(key) !== key) return true;
        pending.push((data as Record<string, unknown>)[key]);
      }
    }
  }
  return false;
}

function copyMapped<T>(value: T, map: StringMap): T {
  const copies = new Map<object, unknown[] | Record<string, unknown>>();
  const pending: object[] = [];
  const root = mapped(value, map, copies, pending);
  while (pending.length > 0) {
    const original = pending.pop()!;
    const copy = copies.get(original)!;
    if (Array.isArray(original)) {
      const target = copy as unknown[];
      for (let i = 0; i < original.length; i++) target[i] = mapped(original[i], map, copies, pending);
    } else {
      const target = copy as Record<string, unknown>;
      for (const key of Object.keys(original)) target[map(key)] = mapped((original as Record<string, unknown>)[key], map, copies, pending);
    }
  }
  return root as T;
}

function mapped(value: unknown, map: StringMap, copies: Map<object, unknown[] | Record<string, unknown>>, pending: object[]): unknown {
  const data = asJson(value);
  if (typeof data === 'string') return map(data);
  if (typeof data !== 'object' || data === null) return data;
  const known = copies.get(data);
  if (known !== undefined) return known;
  const shell = Array.isArray(data) ? [] : {};
  copies.set(data, shell);
  pending.push(data);
  return shell;
}

// Rows a fix query returned may hold a Date or a Buffer: they are walked as JSON.stringify shows them.
function asJson(value: unknown): unknown {
  const toJSON = typeof value === 'object' && value !== null ? (value as { toJSON?: unknown }).toJSON : undefined;
  return typeof toJSON === 'function' ? (toJSON as () => unknown).call(value) : value;
}
