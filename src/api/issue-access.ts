// Who may do what to an issue: repository permission from the one permission function
// (requireRepo), plus the author's rights over their own issue or comment.
import { can } from '../auth/access';
import type { Actor } from '../auth/authenticate';
import { getIssueByNumber, type IssueRecord } from '../db/issues';
import { type ApiContext, type RepoAccess, requireActor, requireRepo } from './context';
import { forbidden, notFound, unauthorized } from './errors';

export interface IssueAccess extends RepoAccess {
  issue: IssueRecord;
}

/** A positive issue or comment number from the path; 404 otherwise (as for a missing one). */
export function pathNumber(value: string | undefined, what: string): number {
  const n = /^[1-9][0-9]{0,15}$/.test(value ?? '') ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw notFound(`${what} not found`);
  return n;
}

/** The readable repository of the request's `:owner/:repo`. */
export function requireReadableRepo(c: ApiContext): Promise<RepoAccess> {
  return requireRepo(c, c.req.param('owner') ?? '', c.req.param('repo') ?? '', 'read');
}

/** The readable repository's issue `:index` (pull requests included). */
export async function requireIssue(c: ApiContext): Promise<IssueAccess> {
  const access = await requireReadableRepo(c);
  const number = pathNumber(c.req.param('index'), 'issue');
  const issue = await getIssueByNumber(c.env.DB, access.repo.id, number);
  if (!issue) throw notFound('issue not found');
  return { ...access, issue };
}

/** The signed-in caller allowed to change issues with their credential (Gitea's issue scope). */
export function requireIssueWriter(c: ApiContext): Actor {
  return requireActor(c, { level: 'write', area: 'issue' });
}

export function canWrite(access: RepoAccess): boolean {
  return can(access.permission, 'write');
}

/** Write permission on the repository: labels, assignees, others' issues. */
export function requireWrite(access: RepoAccess, what: string): void {
  if (canWrite(access)) return;
  if (!access.actor) throw unauthorized();
  throw forbidden(`write permission on the repository is required to ${what}`);
}

/** The author of the thing, or someone with write permission. */
export function requireAuthorOrWrite(access: RepoAccess, authorId: number | null, what: string): void {
  if (access.actor && authorId !== null && access.actor.userId === authorId) return;
  requireWrite(access, what);
}
