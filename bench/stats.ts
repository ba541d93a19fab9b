// Shared by the benchmarks: medians resist the odd slow round on a busy 2-core machine.

/** The median of a non-empty list of timings. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
