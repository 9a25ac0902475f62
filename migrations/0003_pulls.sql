-- Pull requests: the issue row (`is_pull` = 1) holds number, title, body, author and open/closed;
-- this row holds what only a pull request has. Branches are kept by name so that pushes to them
-- show up in the pull request; the shas are the last ones seen (compared with the refs on read)
-- and, once merged, what was merged.
create table "pull_request" (
  "issue_id" integer not null primary key references "issue" ("id") on delete cascade,
  "repo_id" integer not null references "repository" ("id") on delete cascade,
  "head_branch" text not null,
  "base_branch" text not null,
  "head_sha" text not null,
  "base_sha" text not null,
  "merge_base" text,
  -- 'mergeable' | 'conflict' | 'up_to_date' | 'unrelated' | 'missing', as last computed.
  "mergeable" text not null,
  -- JSON array of the conflicting paths.
  "conflicts" text not null default '[]',
  "merged" integer not null default 0,
  "merged_at" text,
  "merged_by" integer references "user" ("id") on delete set null,
  "merge_style" text,
  "merge_commit_sha" text
);
create index "pull_request_repo_branches" on "pull_request" ("repo_id", "head_branch", "base_branch");
