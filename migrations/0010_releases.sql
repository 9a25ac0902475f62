-- Releases (Gitea's and GitHub's): a tag with notes, draft and pre-release flags, and assets whose
-- bytes live in R2 (binding BLOBS, key `releases/{repo_id}/{uuid}`); only their metadata is here.

create table "release" (
  "id" integer not null primary key autoincrement,
  "repo_id" integer not null references "repository" ("id") on delete cascade,
  "tag_name" text not null,
  -- The branch or commit the tag was (or, for a draft, will be) created from; as the client gave it.
  "target" text not null,
  "name" text not null default '',
  "body" text not null default '',
  "draft" integer not null default 0,
  "prerelease" integer not null default 0,
  -- null once the author's account is gone: the release stays, shown as by a ghost.
  "author_id" integer references "user" ("id") on delete set null,
  "created_at" text not null,
  -- null while a draft.
  "published_at" text
);
create unique index "release_repo_tag" on "release" ("repo_id", "tag_name");
create index "release_repo_created" on "release" ("repo_id", "created_at", "id");

create table "release_asset" (
  "id" integer not null primary key autoincrement,
  "release_id" integer not null references "release" ("id") on delete cascade,
  "repo_id" integer not null references "repository" ("id") on delete cascade,
  "name" text not null,
  "size" integer not null,
  "content_type" text not null,
  -- Where the bytes are in R2.
  "blob_key" text not null,
  "download_count" integer not null default 0,
  "uploader_id" integer references "user" ("id") on delete set null,
  "created_at" text not null
);
create unique index "release_asset_name" on "release_asset" ("release_id", "name");

-- Files dropped or pasted into an issue or pull request comment (GitHub's attachments, Gitea's
-- issue assets): bytes in R2 (`attachments/{repo_id}/{uuid}`), linked from the markdown by
-- `/{owner}/{repo}/attachments/{uuid}`, readable by whoever may read the repository.
create table "attachment" (
  "id" integer not null primary key autoincrement,
  "uuid" text not null unique,
  "repo_id" integer not null references "repository" ("id") on delete cascade,
  -- The issue it was uploaded to; the file stays linkable if the issue goes.
  "issue_id" integer references "issue" ("id") on delete set null,
  "name" text not null,
  "size" integer not null,
  "blob_key" text not null,
  "download_count" integer not null default 0,
  "uploader_id" integer references "user" ("id") on delete set null,
  "created_at" text not null
);
create index "attachment_issue" on "attachment" ("issue_id");
