-- Forks: the repository a fork was made from. Not a foreign key: a fork outlives its parent
-- (repository ids are never reused, so a deleted parent's id simply finds nothing).
alter table "repository" add column "fork_parent_id" integer;
create index "repository_fork_parent" on "repository" ("fork_parent_id");
-- A pull request from a fork: the fork's id (its branch is "head_branch" there); null for a
-- branch of the repository itself. The head commits are kept in the upstream as refs/pull/{n}/head.
alter table "pull_request" add column "head_repo_id" integer;
