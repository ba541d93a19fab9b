// Values that change as the statements run, kept with the order of the statement that set each
// one, so any reader can ask "as of this statement" and a later statement never changes what an
// earlier one saw. A Store holds one timeline per key; a fork of it (a folder's context learned
// once, then one copy per check) shares the original's timelines and copies one only when it
// first changes it, so forking costs nothing and the original stays as it was.

/** One value's history: entries in the order of the statements that set them. */
export class Timeline<V> {
  private readonly orders: number[] = [];
  private readonly values: (V | undefined)[] = [];

  /** The value the latest entry before `before` set (undefined: none, or it was unset). */
  at(before: number): V | undefined {
    // The last entry with order < before: a binary search, since readers ask about any point.
    let low = 0;
    let high = this.orders.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.orders[middle]! < before) low = middle + 1;
      else high = middle;
    }
    return low === 0 ? undefined : this.values[low - 1];
  }

  /** The last value set. */
  latest(): V | undefined {
    return this.values[this.values.length - 1];
  }

  get empty(): boolean {
    return this.orders.length === 0;
  }

  /** Sets the value from `order` on (orders never go back: statements are recorded in order). */
  push(order: number, value: V | undefined): void {
    this.orders.push(Math.max(order, this.orders[this.orders.length - 1] ?? order));
    this.values.push(value);
  }

  /** Every value set before `before`, in order (for timelines used as a log of additions). */
  *valuesBefore(before: number = Infinity): Generator<V> {
    for (let i = 0; i < this.orders.length && this.orders[i]! < before; i++) {
      const value = this.values[i];
      if (value !== undefined) yield value;
    }
  }

  copy(): Timeline<V> {
    const copy = new Timeline<V>();
    copy.orders.push(...this.orders);
    copy.values.push(...this.values);
    return copy;
  }
}

/** Notes each change of a revertible store, for ROLLBACK TO SAVEPOINT. */
export type ChangeListener = (store: Store<unknown, unknown>, key: unknown, order: number) => void;

/** Timelines by key, forkable without copying. */
export class Store<K, V> {
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

  /** The key's last value. */
  latest(key: K): V | undefined {
    return this.timeline(key)?.latest();
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
    this.onChange?.(this as Store<unknown, unknown>, key, order);
  }

  /** A store that starts as this one and changes on its own; this one may no longer change. */
  fork(onChange: ChangeListener | null = null): Store<K, V> {
    this.frozen = true;
    return new Store<K, V>(this, onChange);
  }
}
