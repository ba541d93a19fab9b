// Arrays of any length. Spreading an array into a call (`out.push(...lines)`) passes each element
// as an argument, and V8 refuses a call with more than about 120,000 arguments: a report of 200,000
// statements, or a DO block raising 200,000 notices, ended the command. These helpers take their
// elements one at a time.

/** Appends every item to `target` (whatever their number) and returns `target`. */
export function pushAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}

/** The largest of the numbers (whatever their number), or -Infinity when there are none, as Math.max. */
export function maxOf(numbers: Iterable<number>): number {
  let max = -Infinity;
  for (const n of numbers) if (n > max || Number.isNaN(n)) max = n;
  return max;
}
