// Rows a Gitea-service migration writes: each with its migration_item record in one batch (one
// transaction), so an item is either imported and recorded or neither, and a retry skips it.
import { recordItem } from './migration-import';

export interface ImportedMilestone {
  sourceId: number;
  title: string;
  description: string;
  state: 'open' | 'closed';
  dueOn: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export async function insertImportedMilestone(db: D1Database, repoId: number, m: ImportedMilestone) {
  await db.batch([
    db
      .prepare(
        `insert into "milestone" ("repo_id", "title", "description", "state", "due_on", "created_at", "updated_at", "closed_at")
         values (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(repoId, m.title, m.description, m.state, m.dueOn, m.createdAt, m.updatedAt, m.closedAt),
    recordItem(db, repoId, 'milestone', m.sourceId, { sql: 'last_insert_rowid()', args: [] }),
  ]);
}

export interface ImportedIssue {
  sourceId: number;
  /** Kept as the source's. */
  number: number;
  authorId: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  milestoneId: number | null;
  labelIds: number[];
}

export interface ImportedPull {
  headBranch: string;
  baseBranch: string;
  headSha: string;
  baseSha: string;
  mergeBase: string | null;
  merged: boolean;
  mergedAt: string | null;
  mergeCommitSha: string | null;
}

/** An issue (or, with `pull`, a pull request) under the source's number; the counter follows. */
export async function insertImportedIssue(
  db: D1Database,
  repoId: number,
  i: ImportedIssue,
  pull: ImportedPull | null,
): Promise<void> {
  const issueId = `(select "id" from "issue" where "repo_id" = ? and "number" = ?)`;
  await db.batch([
    db
      .prepare(
        `insert into "issue" ("repo_id", "number", "is_pull", "author_id", "title", "body", "state", "created_at", "updated_at", "closed_at", "milestone_id")
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(
        repoId,
        i.number,
        pull ? 1 : 0,
        i.authorId,
        i.title,
        i.body,
        i.state,
        i.createdAt,
        i.updatedAt,
        i.closedAt,
        i.milestoneId,
      ),
    db
      .prepare(
        `insert into "issue_counter" ("repo_id", "last_number") values (?1, ?2)
         on conflict ("repo_id") do update set "last_number" = max("last_number", ?2)`,
      )
      .bind(repoId, i.number),
    ...i.labelIds.map((labelId) =>
      db
        .prepare(`insert into "issue_label" ("issue_id", "label_id") values (${issueId}, ?)`)
        .bind(repoId, i.number, labelId),
    ),
    ...(pull
      ? [
          db
            .prepare(
              `insert into "pull_request" ("issue_id", "repo_id", "head_branch", "base_branch", "head_sha", "base_sha",
               "merge_base", "mergeable", "merged", "merged_at", "merge_commit_sha")
               values (${issueId}, ?, ?, ?, ?, ?, ?, 'unknown', ?, ?, ?)`,
            )
            .bind(
              repoId,
              i.number,
              repoId,
              pull.headBranch,
              pull.baseBranch,
              pull.headSha,
              pull.baseSha,
              pull.mergeBase,
              pull.merged ? 1 : 0,
              pull.mergedAt,
              pull.mergeCommitSha,
            ),
        ]
      : []),
    recordItem(db, repoId, 'issue', i.sourceId, { sql: issueId, args: [repoId, i.number] }),
  ]);
}

export async function insertImportedComment(
  db: D1Database,
  repoId: number,
  c: {
    sourceId: number;
    issueId: number;
    authorId: number;
    body: string;
    createdAt: string;
    updatedAt: string;
  },
): Promise<void> {
  await db.batch([
    db
      .prepare(
        `insert into "issue_comment" ("issue_id", "author_id", "body", "created_at", "updated_at") values (?, ?, ?, ?, ?)`,
      )
      .bind(c.issueId, c.authorId, c.body, c.createdAt, c.updatedAt),
    recordItem(db, repoId, 'comment', c.sourceId, { sql: 'last_insert_rowid()', args: [] }),
  ]);
}
