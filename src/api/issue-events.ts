// Turning stored changes into live events for the issue page (src/live), after the change.
import type { CommentRecord } from '../db/comments';
import { getIssueById, type IssueRecord } from '../db/issues';
import type { RepoRecord } from '../db/repos';
import type { LiveComment, LiveEvent, LiveIssueHead } from '../live/events';
import { publishIssueEvent } from '../live/publish';
import { renderIssueMarkdown } from '../services/markdown/issue-markdown';
import type { ApiContext } from './context';

export async function liveComment(db: D1Database, repo: RepoRecord, c: CommentRecord): Promise<LiveComment> {
  const [bodyHtml] = await renderIssueMarkdown(db, repo, [c.body]);
  return {
    id: c.id,
    author: c.author,
    body: c.body,
    bodyHtml,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

export async function liveHead(db: D1Database, repo: RepoRecord, i: IssueRecord): Promise<LiveIssueHead> {
  const [bodyHtml] = await renderIssueMarkdown(db, repo, [i.body]);
  return {
    title: i.title,
    state: i.state,
    bodyHtml,
    labels: i.labels.map((l) => ({ id: l.id, name: l.name, color: l.color })),
    assignees: i.assignees.map((a) => a.login),
    closedAt: i.closedAt,
    updatedAt: i.updatedAt,
  };
}

/** Publishes without holding up the response (the event is built and sent after it). */
export function publishLater(
  c: ApiContext,
  repo: RepoRecord,
  number: number,
  build: () => Promise<LiveEvent>,
): void {
  c.executionCtx.waitUntil(
    build().then(
      (event) => publishIssueEvent(c.env, repo.id, number, event),
      (err: unknown) => console.error('live: building the event failed', err),
    ),
  );
}

/** Publishes the issue's current head (title, state, labels, assignees, body). */
export function publishIssueUpdated(c: ApiContext, repo: RepoRecord, issueId: number, number: number): void {
  publishLater(c, repo, number, async () => {
    const issue = await getIssueById(c.env.DB, issueId);
    if (!issue) throw new Error(`issue ${issueId} vanished`);
    return { type: 'issue.updated', issue: await liveHead(c.env.DB, repo, issue) };
  });
}
