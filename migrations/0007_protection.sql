-- Branch protection rules, commit statuses and pull-request reviews (Gitea's models). Rules are
-- read by the Worker on each push and merge and handed to the repository's object, whose ref
-- planner applies them in the transaction that moves the refs.
create table "branch_protection" (
  "id" integer not null primary key autoincrement,
  "repo_id" integer not null references "repository" ("id") on delete cascade,
  -- A branch name or a glob; plain names win over globs, then the oldest rule (Gitea's order).
  "rule_name" text not null,
  "enable_push" integer not null default 0,
  "enable_push_whitelist" integer not null default 0,
  -- JSON array of logins.
  "push_whitelist_usernames" text not null default '[]',
  "enable_force_push" integer not null default 0,
  "required_approvals" integer not null default 0,
  "enable_status_check" integer not null default 0,
  -- JSON array of context names or globs.
  "status_check_contexts" text not null default '[]',
  "block_on_rejected_reviews" integer not null default 0,
  "dismiss_stale_approvals" integer not null default 0,
  "created_at" text not null,
  "updated_at" text not null
);
create unique index "branch_protection_rule" on "branch_protection" ("repo_id", "rule_name");

-- Statuses CI posts on commits; the latest of each context counts (highest id).
create table "commit_status" (
  "id" integer not null primary key autoincrement,
  "repo_id" integer not null references "repository" ("id") on delete cascade,
  "sha" text not null,
  "state" text not null check ("state" in ('pending', 'success', 'error', 'failure', 'warning')),
  "context" text not null,
  "description" text not null default '',
  "target_url" text not null default '',
  "creator_id" integer references "user" ("id") on delete set null,
  "created_at" text not null
);
create index "commit_status_sha" on "commit_status" ("repo_id", "sha", "context", "id");

-- Reviews of pull requests; each reviewer's latest approve / request-changes counts. `official`:
-- the reviewer could write to the repository when reviewing (only those count for the rules).
create table "pull_review" (
  "id" integer not null primary key autoincrement,
  "issue_id" integer not null references "issue" ("id") on delete cascade,
  "reviewer_id" integer references "user" ("id") on delete set null,
  "state" text not null check ("state" in ('APPROVED', 'REQUEST_CHANGES', 'COMMENT')),
  "body" text not null default '',
  "commit_id" text not null,
  "official" integer not null default 0,
  "created_at" text not null
);
create index "pull_review_issue" on "pull_review" ("issue_id", "id");

create table "review_comment" (
  "id" integer not null primary key autoincrement,
  "review_id" integer not null references "pull_review" ("id") on delete cascade,
  "path" text not null,
  "new_position" integer not null,
  "body" text not null
);
create index "review_comment_review" on "review_comment" ("review_id", "id");
