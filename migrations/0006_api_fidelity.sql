-- Gitea's per-repository settings that clients read from the repository JSON and the merge
-- endpoint honours (merge styles, the issue and pull-request switches, archiving). One row per
-- repository once someone changes a setting; a repository without a row has Gitea's defaults
-- (src/db/repo-settings.ts), so creation paths need not know about this table.
create table "repo_settings" (
  "repo_id" integer not null primary key references "repository" ("id") on delete cascade,
  "has_issues" integer not null default 1,
  "has_pull_requests" integer not null default 1,
  "allow_merge_commits" integer not null default 1,
  "allow_rebase" integer not null default 1,
  "allow_rebase_explicit" integer not null default 0,
  "allow_squash_merge" integer not null default 1,
  "allow_fast_forward_only_merge" integer not null default 1,
  "allow_rebase_update" integer not null default 1,
  "default_merge_style" text not null default 'merge',
  "default_delete_branch_after_merge" integer not null default 0,
  "default_allow_maintainer_edit" integer not null default 0,
  "ignore_whitespace_conflicts" integer not null default 0,
  "website" text not null default '',
  "archived" integer not null default 0,
  "archived_at" text,
  "updated_at" text not null
);
