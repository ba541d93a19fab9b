// Sizes and durations the way the report writes them for people: "48 M", "12 GB", "1.8 s".

function scaled(n: number, steps: readonly (readonly [number, string])[], plain: string): string {
  for (const [size, unit] of steps) if (n >= size) return `${(n / size).toFixed(n / size >= 10 ? 0 : 1)} ${unit}`;
  return `${Math.round(n)}${plain}`;
}

/** Rows: "950", "12 k", "48 M". */
export function rowsText(n: number): string {
  return scaled(n, [[1e9, 'G'], [1e6, 'M'], [1e3, 'k']], '');
}

/** Bytes: "512 B", "8.0 kB", "12 GB". */
export function bytesText(n: number): string {
  return scaled(n, [[2 ** 40, 'TB'], [2 ** 30, 'GB'], [2 ** 20, 'MB'], [2 ** 10, 'kB']], ' B');
}

/** A duration: "120 ms", "1.8 s", "42 s", "3.5 min". */
export function durationText(ms: number): string {
  if (ms >= 60_000) return `${(ms / 60_000).toFixed(1)} min`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)} s`;
  return `${Math.round(ms)} ms`;
}

/** A range of durations: "40 s–1.5 min". */
export function durationRangeText(range: { low: number; high: number }): string {
  return `${durationText(range.low)}–${durationText(range.high)}`;
}
