-- Milestones (Gitea's and GitHub's): a repository's named goal with an optional due date that
-- issues and pull requests point at; counts of open and closed issues are computed on read.
create table "milestone" (
  "id" integer not null primary key autoincrement,
  "repo_id" integer not null references "repository" ("id") on delete cascade,
  "title" text not null,
  "description" text not null default '',
  "state" text not null default 'open' check ("state" in ('open', 'closed')),
  "due_on" text,
  "created_at" text not null,
  "updated_at" text not null,
  "closed_at" text
);
create index "milestone_repo" on "milestone" ("repo_id", "state", "id");

-- An issue's milestone; deleting the milestone leaves the issue without one.
alter table "issue" add column "milestone_id" integer references "milestone" ("id") on delete set null;
create index "issue_milestone" on "issue" ("milestone_id");

-- What a Gitea-service migration imported, by the source's id, so that a retry after a failure
-- continues without importing anything twice. `kind`: label, milestone, issue, comment, release,
-- asset; `local_id` the row made here.
create table "migration_item" (
  "repo_id" integer not null references "repository" ("id") on delete cascade,
  "kind" text not null,
  "source_id" integer not null,
  "local_id" integer not null,
  primary key ("repo_id", "kind", "source_id")
);

-- A Gitea-service migration's import of issues, pulls, releases...: what was asked for, where it
-- is (a phase and a page, so each step continues where the last ended) and how it went.
create table "migration_import" (
  "repo_id" integer not null primary key references "repository" ("id") on delete cascade,
  -- JSON: { labels, milestones, issues, pull_requests, releases } as booleans; the source's owner/name.
  "options" text not null,
  -- The source API's Authorization header, sealed as the git credentials are; dropped when done.
  "credentials" text,
  "phase" text not null,
  "page" integer not null default 1,
  "imported" integer not null default 0,
  "error" text,
  "updated_at" text not null
);
