// One pull-request comment kept up to date through GitHub's REST API: found again by a hidden
// marker in its body, edited in place, created only when there is none. A token that may not write
// (a pull request from a fork gets a read-only GITHUB_TOKEN: 403) is an outcome, not a failure.

/** The hidden line that marks Drydock's comment, so a later run finds and edits it. */
export const COMMENT_MARKER = '<!-- drydock-check-summary -->';

/** Where and as whom the comment is written. */
export interface CommentTarget {
  /** The REST API's root (GITHUB_API_URL: api.github.com, or a GitHub Enterprise server's). */
  apiUrl: string;
  /** owner/name. */
  repository: string;
  issueNumber: number;
  token: string;
}

/** What happened to the comment. */
export type CommentOutcome =
  | { kind: 'created' | 'updated'; url: string }
  | { kind: 'forbidden'; status: number; message: string }
  | { kind: 'failed'; message: string };

interface IssueComment { id: number; body?: string; html_url: string }

async function call(target: CommentTarget, method: string, route: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${target.apiUrl.replace(/\/+$/, '')}${route}`, {
    method,
    headers: {
      accept: 'application/vnd.github+json', authorization: `Bearer ${target.token}`, 'x-github-api-version': '2022-11-28',
      'user-agent': 'drydock-action', ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = { message: text.slice(0, 200) };
  }
  return { status: response.status, json };
}

function messageOf(json: unknown): string {
  return typeof (json as { message?: unknown } | null)?.message === 'string' ? (json as { message: string }).message : 'no message';
}

/** Drydock's earlier comment on the issue, if any (every page of comments is read). */
async function findOwnComment(target: CommentTarget): Promise<IssueComment | { status: number; json: unknown } | null> {
  for (let page = 1; page <= 50; page++) {
    const listed = await call(target, 'GET', `/repos/${target.repository}/issues/${target.issueNumber}/comments?per_page=100&page=${page}`);
    if (listed.status !== 200 || !Array.isArray(listed.json)) return listed;
    const own = (listed.json as IssueComment[]).find((c) => c.body?.includes(COMMENT_MARKER));
    if (own) return own;
    if (listed.json.length < 100) return null;
  }
  return null;
}

/** Creates Drydock's comment on the pull request, or edits the one an earlier run left. */
export async function upsertComment(target: CommentTarget, markdown: string): Promise<CommentOutcome> {
  const body = `${COMMENT_MARKER}\n${markdown}`;
  try {
    const found = await findOwnComment(target);
    if (found && 'status' in found) return refused(found);
    const written = found
      ? await call(target, 'PATCH', `/repos/${target.repository}/issues/comments/${found.id}`, { body })
      : await call(target, 'POST', `/repos/${target.repository}/issues/${target.issueNumber}/comments`, { body });
    if (written.status !== 200 && written.status !== 201) return refused(written);
    return { kind: found ? 'updated' : 'created', url: (written.json as IssueComment).html_url };
  } catch (err) {
    return { kind: 'failed', message: (err as Error).message };
  }
}

function refused(answer: { status: number; json: unknown }): CommentOutcome {
  // 403: the token may not write (a fork's pull request); 404: it may not even see the pull request.
  if (answer.status === 403 || answer.status === 404 || answer.status === 401) return { kind: 'forbidden', status: answer.status, message: messageOf(answer.json) };
  return { kind: 'failed', message: `GitHub answered ${answer.status}: ${messageOf(answer.json)}` };
}
