// Pull-request reviews (tables `pull_review`, `review_comment`): each reviewer's latest approve or
// request-changes is their state; comments-only reviews do not change it.
import { loginSql } from './users';

export const REVIEW_STATES = ['APPROVED', 'REQUEST_CHANGES', 'COMMENT'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

export interface ReviewComment {
  readonly path: string;
  readonly newPosition: number;
  readonly body: string;
}

export interface ReviewRecord {
  readonly id: number;
  readonly reviewerId: number | null;
  readonly reviewer: string | null;
  readonly state: ReviewState;
  readonly body: string;
  readonly commitId: string;
  readonly official: boolean;
  readonly createdAt: string;
  readonly comments: ReviewComment[];
}

interface Row {
  id: number;
  reviewer_id: number | null;
  reviewer_login: string | null;
  state: ReviewState;
  body: string;
  commit_id: string;
  official: number;
  created_at: string;
}

interface CommentRow {
  review_id: number;
  path: string;
  new_position: number;
  body: string;
}

export interface NewReview {
  readonly issueId: number;
  readonly reviewerId: number;
  readonly state: ReviewState;
  readonly body: string;
  readonly commitId: string;
  readonly official: boolean;
  readonly comments: readonly ReviewComment[];
}

/** Stores a review and its line comments in one batch (one transaction: nothing half-saved). */
export async function insertReview(db: D1Database, r: NewReview): Promise<void> {
  // D1 runs a batch's statements in order in one transaction, so the latest review of the pull
  // request inside it is the one just inserted.
  const latest = '(select max("id") from "pull_review" where "issue_id" = ?)';
  await db.batch([
    db
      .prepare(
        `insert into "pull_review" ("issue_id", "reviewer_id", "state", "body", "commit_id", "official", "created_at")
         values (?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(
        r.issueId,
        r.reviewerId,
        r.state,
        r.body,
        r.commitId,
        r.official ? 1 : 0,
        new Date().toISOString(),
      ),
    ...r.comments.map((c) =>
      db
        .prepare(
          `insert into "review_comment" ("review_id", "path", "new_position", "body") values (${latest}, ?, ?, ?)`,
        )
        .bind(r.issueId, c.path, c.newPosition, c.body),
    ),
  ]);
}

/** A pull request's reviews, oldest first, with their line comments. */
export async function listReviews(db: D1Database, issueId: number): Promise<ReviewRecord[]> {
  const [reviews, comments] = await db.batch([
    db
      .prepare(
        `select r."id", r."reviewer_id", ${loginSql('u')} as reviewer_login, r."state", r."body", r."commit_id",
           r."official", r."created_at"
         from "pull_review" r left join "user" u on u."id" = r."reviewer_id"
         where r."issue_id" = ? order by r."id"`,
      )
      .bind(issueId),
    db
      .prepare(
        `select c."review_id", c."path", c."new_position", c."body" from "review_comment" c
         join "pull_review" r on r."id" = c."review_id" where r."issue_id" = ? order by c."id"`,
      )
      .bind(issueId),
  ]);
  const byReview = new Map<number, ReviewComment[]>();
  for (const c of comments.results as CommentRow[]) {
    const list = byReview.get(c.review_id) ?? [];
    list.push({ path: c.path, newPosition: c.new_position, body: c.body });
    byReview.set(c.review_id, list);
  }
  return (reviews.results as Row[]).map((r) => ({
    id: r.id,
    reviewerId: r.reviewer_id,
    reviewer: r.reviewer_login,
    state: r.state,
    body: r.body,
    commitId: r.commit_id,
    official: !!r.official,
    createdAt: r.created_at,
    comments: byReview.get(r.id) ?? [],
  }));
}
