// The path a CI tool knows a file by: relative to the directory the job runs in (the repository).

/** A path relative to `baseDir` when it lies under it, else as given (without a leading `./`). */
export function relativeToBase(file: string, baseDir: string): string {
  const base = `${baseDir.replace(/\/+$/, '')}/`;
  if (file.startsWith(base)) return file.slice(base.length);
  return file.replace(/^(\.\/)+/, '');
}
