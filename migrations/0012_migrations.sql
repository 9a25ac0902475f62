-- Repositories brought in by the server fetching them (migrations) and pull mirrors: where from,
-- the sealed credentials (AES-GCM; kept for a mirror, or until a migration succeeds so that it can
-- be retried), and the state of the last fetch.
create table "repo_mirror" (
  "repo_id" integer not null primary key references "repository" ("id") on delete cascade,
  "clone_addr" text not null, -- without credentials
  "credentials" text,
  "mirror" integer not null default 0,
  "interval_seconds" integer not null default 28800, -- 0: only on demand
  "status" text not null check ("status" in ('running', 'failed', 'done')),
  "error" text,
  "last_sync_at" text,
  "created_at" text not null
);
