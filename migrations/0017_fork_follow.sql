-- One fork of a repository per owner, decided by the database: two fork requests at the same
-- moment both pass the service's lookup, and the second insert now finds this index and does
-- nothing (the API answers 409). A fork whose parent is gone keeps its parent's id, so the
-- owner still cannot fork that (deleted) parent twice, which nobody can reach anyway.
create unique index "repository_one_fork_per_owner" on "repository" ("owner_id", "fork_parent_id")
  where "fork_parent_id" is not null;
-- A push to a fork finds the upstream pull requests whose head it is (one query per push).
create index "pull_request_head_repo" on "pull_request" ("head_repo_id") where "head_repo_id" is not null;
