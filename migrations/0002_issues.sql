-- Issues and pull requests share one table (`is_pull`) and one number sequence per repository,
-- as in Gitea and GitHub. Pull-request specifics (head, base, merge state) live in tables of
-- their own that point at `issue`.

-- The last number handed out per repository. createIssue() bumps it and inserts the issue in the
-- same batch (one transaction), so two concurrent creations never get the same number.
create table "issue_counter" (
  "repo_id" integer not null primary key references "repository" ("id") on delete cascade,
  "last_number" integer not null
);

create table "issue" (
  "id" integer not null primary key autoincrement,
  "repo_id" integer not null references "repository" ("id") on delete cascade,
  "number" integer not null,
  "is_pull" integer not null default 0,
  -- null once the author's account is gone: the issue stays, shown as by a ghost.
  "author_id" integer references "user" ("id") on delete set null,
  "title" text not null,
  "body" text not null default '',
  "state" text not null default 'open' check ("state" in ('open', 'closed')),
  "created_at" text not null,
  "updated_at" text not null,
  "closed_at" text
);
create unique index "issue_repo_number" on "issue" ("repo_id", "number");
create index "issue_repo_state" on "issue" ("repo_id", "is_pull", "state", "number");
create index "issue_author" on "issue" ("author_id");

create table "issue_comment" (
  "id" integer not null primary key autoincrement,
  "issue_id" integer not null references "issue" ("id") on delete cascade,
  "author_id" integer references "user" ("id") on delete set null,
  "body" text not null,
  "created_at" text not null,
  "updated_at" text not null
);
create index "issue_comment_issue" on "issue_comment" ("issue_id", "id");

-- Labels belong to a repository; names are unique per repository without regard to case.
create table "label" (
  "id" integer not null primary key autoincrement,
  "repo_id" integer not null references "repository" ("id") on delete cascade,
  "name" text not null,
  "color" text not null,
  "description" text not null default '',
  "created_at" text not null
);
create unique index "label_repo_name" on "label" ("repo_id", "name" collate nocase);

create table "issue_label" (
  "issue_id" integer not null references "issue" ("id") on delete cascade,
  "label_id" integer not null references "label" ("id") on delete cascade,
  primary key ("issue_id", "label_id")
);
create index "issue_label_label" on "issue_label" ("label_id");

create table "issue_assignee" (
  "issue_id" integer not null references "issue" ("id") on delete cascade,
  "user_id" integer not null references "user" ("id") on delete cascade,
  primary key ("issue_id", "user_id")
);
create index "issue_assignee_user" on "issue_assignee" ("user_id");
