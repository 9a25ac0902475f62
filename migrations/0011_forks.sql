-- Forks: the repository a fork was made from. Not a foreign key: a fork outlives its parent
-- (repository ids are never reused, so a deleted parent's id simply finds nothing).
alter table "repository" add column "fork_parent_id" integer;
create index "repository_fork_parent" on "repository" ("fork_parent_id");
