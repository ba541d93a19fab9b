// The glob patterns drydock.json's `exclude` uses: `**` any folders, `*` any name part, `?` one
// character; matched against paths relative to the config file, with / separators.

const cache = new Map<string, RegExp>();

/** A regular expression matching the glob over a whole relative path. */
export function globToRegExp(glob: string): RegExp {
  const cached = cache.get(glob);
  if (cached) return cached;
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // A bare name (no slash) matches at any depth, as in .gitignore.
  const re = new RegExp(`^${glob.includes('/') ? '' : '(?:.*/)?'}${out}$`);
  cache.set(glob, re);
  return re;
}
