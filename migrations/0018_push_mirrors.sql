-- Push mirrors: other git servers a repository is pushed to (all branches and tags, deletions
-- too) after each push (sync_on_commit), every interval_seconds (0: on demand only) and on
-- demand. Credentials sealed as a pull mirror's (AES-GCM), never returned.
create table "push_mirror" (
  "id" integer primary key autoincrement,
  "repo_id" integer not null references "repository" ("id") on delete cascade,
  "remote_name" text not null,
  "remote_address" text not null, -- without credentials
  "credentials" text,
  "interval_seconds" integer not null default 28800,
  "sync_on_commit" integer not null default 1,
  "created_at" text not null,
  "last_update" text,
  "last_error" text,
  unique ("repo_id", "remote_name")
);
