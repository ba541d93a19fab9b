// Where the rules' docs pages live on the web, for SARIF's helpUri: the project's repository (from
// package.json) on its main branch, or DRYDOCK_DOCS_URL for a fork or a mirror (an absolute URI
// that docs/rules/<id>.md is appended to).
import packageJson from '../../package.json';
import { UsageError, type Io } from './io';

/** The repository's web address, from package.json's repository.url (git+https and .git dropped). */
export function repositoryWebUrl(url: string): string {
  return url.replace(/^git\+/, '').replace(/\.git$/, '');
}

/** The project's docs at its main branch. */
export const DEFAULT_DOCS_BASE_URI = `${repositoryWebUrl(packageJson.repository.url)}/blob/main/`;

/** The docs base for this invocation: DRYDOCK_DOCS_URL when set (it must be an absolute URI), else the default. */
export function docsBaseUri(io: Pick<Io, 'env'>): string {
  const given = io.env.DRYDOCK_DOCS_URL;
  if (!given) return DEFAULT_DOCS_BASE_URI;
  let parsed: URL;
  try {
    parsed = new URL(given);
  } catch {
    throw new UsageError(`DRYDOCK_DOCS_URL must be an absolute URI (https://…), got ${given}`);
  }
  return parsed.href.endsWith('/') ? parsed.href : `${parsed.href}/`;
}
