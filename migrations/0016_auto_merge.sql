-- Auto-merge (Gitea's `merge_when_checks_succeed`): a pull request scheduled to merge once its
-- base branch's rule is satisfied. One schedule per pull request; the row goes when the merge
-- runs, fails (a comment says why) or is cancelled.
create table "pull_auto_merge" (
  "issue_id" integer not null primary key references "issue" ("id") on delete cascade,
  "repo_id" integer not null references "repository" ("id") on delete cascade,
  -- Who scheduled it: the merge runs as this user.
  "doer_id" integer not null references "user" ("id") on delete cascade,
  "merge_style" text not null,
  -- As given (null: the default title/message at merge time).
  "title" text,
  "message" text,
  "delete_branch" integer not null default 0,
  "created_at" text not null
);
create index "pull_auto_merge_repo" on "pull_auto_merge" ("repo_id");
