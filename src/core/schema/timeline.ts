// Values that change as the statements run, kept with the order of the statement that set each
// one, so any reader can ask "as of this statement" and a later statement never changes what an
// earlier one saw. A Store holds one timeline per key; a fork of it (a folder's context learned
// once, then one copy per check) shares the original's timelines and copies one only when it
// first changes it, so forking costs nothing and the original stays as it was.

/**
 * One value's history: entries in the order of the statements that set them. Most values are set
 * once (a name bound, a column declared): the first entry is kept inline, arrays only from the second.
 */
export class Timeline<V> {
  private firstOrder = 0;
  private first: V | undefined = undefined;
  private size = 0;
  private orders: number[] | null = null;
  private values: (V | undefined)[] | null = null;

  /** The value the latest entry before `before` set (undefined: none, or it was unset). */
  at(before: number): V | undefined {
    if (this.orders === null) return this.size > 0 && this.firstOrder < before ? this.first : undefined;
    // The last entry with order < before: a binary search, since readers ask about any point.
    let low = 0;
    let high = this.orders.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.orders[middle]! < before) low = middle + 1;
      else high = middle;
    }
    return low === 0 ? undefined : this.values![low - 1];
  }

  /** The last value set. */
  latest(): V | undefined {
    return this.values === null ? this.first : this.values[this.values.length - 1];
  }

  get empty(): boolean {
    return this.size === 0;
  }

  /** Sets the value from `order` on (orders never go back: statements are recorded in order). */
  push(order: number, value: V | undefined): void {
    if (this.size === 0) {
      this.firstOrder = order;
      this.first = value;
      this.size = 1;
      return;
    }
    if (this.orders === null) {
      this.orders = [this.firstOrder];
      this.values = [this.first];
    }
    this.orders.push(Math.max(order, this.orders[this.orders.length - 1]!));
    this.values!.push(value);
    this.size += 1;
  }

  /** Every value set before `before`, in order (for timelines used as a log of additions). */
  *valuesBefore(before: number = Infinity): Generator<V> {
    if (this.orders === null) {
      if (this.size > 0 && this.firstOrder < before && this.first !== undefined) yield this.first;
      return;
    }
    for (let i = 0; i < this.orders.length && this.orders[i]! < before; i++) {
      const value = this.values![i];
      if (value !== undefined) yield value;
    }
  }

  copy(): Timeline<V> {
    const copy = new Timeline<V>();
    copy.firstOrder = this.firstOrder;
    copy.first = this.first;
    copy.size = this.size;
    copy.orders = this.orders && [...this.orders];
    copy.values = this.values && [...this.values];
    return copy;
  }
}

/** A store whose changes ROLLBACK TO SAVEPOINT can undo. */
export interface Revertible {
  /** Sets the key's value, from `at` on, back to what it was as of `asOf`. */
  revert(key: unknown, at: number, asOf: number): void;
}

/** Notes each change of a revertible store, for ROLLBACK TO SAVEPOINT. */
export type ChangeListener = (store: Revertible, key: unknown, order: number) => void;

/** Timelines by key, forkable without copying. */
export class Store<K, V> implements Revertible {
  private readonly own = new Map<K, Timeline<V>>();
  private frozen = false;

  constructor(private readonly parent: Store<K, V> | null = null, private readonly onChange: ChangeListener | null = null) {}

  /** The key's timeline, if anything was ever set under it. */
  timeline(key: K): Timeline<V> | undefined {
    return this.own.get(key) ?? this.parent?.timeline(key);
  }

  /** The key's value as of `before` (the latest set before it). */
  at(key: K, before: number): V | undefined {
    return this.timeline(key)?.at(before);
  }

  /** Sets the key's value from `order` on. */
  set(key: K, order: number, value: V | undefined): void {
    if (this.frozen) throw new Error('a forked schema store was changed: forks share its timelines');
    let timeline = this.own.get(key);
    if (!timeline) {
      timeline = this.parent?.timeline(key)?.copy() ?? new Timeline<V>();
      this.own.set(key, timeline);
    }
    timeline.push(order, value);
    this.onChange?.(this, key, order);
  }

  revert(key: unknown, at: number, asOf: number): void {
    this.set(key as K, at, this.at(key as K, asOf));
  }

  /** A store that starts as this one and changes on its own; this one may no longer change. */
  fork(onChange: ChangeListener | null = null): Store<K, V> {
    this.frozen = true;
    return new Store<K, V>(this, onChange);
  }
}

/**
 * Timelines by a scope (a number: a namespace with a schema or a table) and a name, forkable
 * without copying: two map lookups with keys that need no string built per lookup.
 */
export class NameStore<V> implements Revertible {
  private readonly own = new Map<number, Map<string, Timeline<V>>>();
  private frozen = false;

  constructor(private readonly parent: NameStore<V> | null = null, private readonly onChange: ChangeListener | null = null) {}

  timeline(scope: number, name: string): Timeline<V> | undefined {
    return this.own.get(scope)?.get(name) ?? this.parent?.timeline(scope, name);
  }

  at(scope: number, name: string, before: number): V | undefined {
    return this.timeline(scope, name)?.at(before);
  }

  set(scope: number, name: string, order: number, value: V | undefined): void {
    if (this.frozen) throw new Error('a forked schema store was changed: forks share its timelines');
    let names = this.own.get(scope);
    if (!names) this.own.set(scope, (names = new Map()));
    let timeline = names.get(name);
    if (!timeline) {
      timeline = this.parent?.timeline(scope, name)?.copy() ?? new Timeline<V>();
      names.set(name, timeline);
    }
    timeline.push(order, value);
    this.onChange?.(this, [scope, name], order);
  }

  revert(key: unknown, at: number, asOf: number): void {
    const [scope, name] = key as [number, string];
    this.set(scope, name, at, this.at(scope, name, asOf));
  }

  fork(onChange: ChangeListener | null = null): NameStore<V> {
    this.frozen = true;
    return new NameStore<V>(this, onChange);
  }
}
