-- Git LFS: the objects each repository holds in R2 (key lfs/{repo_id}/{oid}; a row is written
-- only once the object's bytes are stored and checked against its SHA-256), and file locks.
create table "lfs_object" (
  "repo_id" integer not null references "repository" ("id") on delete cascade,
  "oid" text not null,
  "size" integer not null,
  "created_at" text not null,
  primary key ("repo_id", "oid")
);

create table "lfs_lock" (
  "id" integer not null primary key autoincrement,
  "repo_id" integer not null references "repository" ("id") on delete cascade,
  "path" text not null,
  "owner_id" integer not null references "user" ("id") on delete cascade,
  "ref" text,
  "locked_at" text not null
);
create unique index "lfs_lock_repo_path" on "lfs_lock" ("repo_id", "path");
