// Where the CLI keeps the shadow's snapshot cache: the user's cache directory, as each platform
// names it (core is handed the folder; it never reads the environment).
import os from 'node:os';
import path from 'node:path';

/** DRYDOCK_CACHE_DIR, else the platform's user cache folder + drydock/shadow. */
export function shadowCacheDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  if (env.DRYDOCK_CACHE_DIR) return path.join(env.DRYDOCK_CACHE_DIR, 'shadow');
  const home = env.HOME ?? os.homedir();
  const base = platform === 'win32' ? env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local')
    : platform === 'darwin' ? path.join(home, 'Library', 'Caches')
      : env.XDG_CACHE_HOME ?? path.join(home, '.cache');
  return path.join(base, 'drydock', 'shadow');
}
