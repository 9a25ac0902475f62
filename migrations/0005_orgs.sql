-- Organizations and teams. An organization is a row of "user" (as in Gitea), so it shares the
-- one namespace of names with accounts and retired names (the unique "username"), and
-- repositories, their URLs and every lookup by owner work unchanged; nobody can sign in as one
-- (it has no credential and its email is a placeholder nobody can own). This row marks the
-- "user" row as an organization and holds what only an organization has.
create table "organization" (
  "id" integer not null primary key references "user" ("id") on delete cascade,
  "email" text not null default '',
  "description" text not null default '',
  "website" text not null default '',
  "location" text not null default '',
  -- public: everyone; limited: signed-in users; private: members only (404 to anyone else).
  "visibility" text not null default 'public' check ("visibility" in ('public', 'limited', 'private')),
  "repo_admin_change_team_access" integer not null default 0,
  "created_at" text not null
);

-- Teams carry permissions on the organization's repositories: all of them
-- (`includes_all_repositories`) or those in team_repo. The Owners team ('owner') is admin on
-- everything, manages the organization, exists once per organization and is never empty.
create table "team" (
  "id" integer not null primary key autoincrement,
  "org_id" integer not null references "organization" ("id") on delete cascade,
  "name" text not null,
  "lower_name" text not null,
  "description" text not null default '',
  "permission" text not null check ("permission" in ('read', 'write', 'admin', 'owner')),
  "includes_all_repositories" integer not null default 0,
  "can_create_org_repo" integer not null default 0,
  "units" text not null default '[]',
  "created_at" text not null
);
create unique index "team_org_lower_name" on "team" ("org_id", "lower_name");
create unique index "team_org_owners" on "team" ("org_id") where "permission" = 'owner';

create table "team_user" (
  "team_id" integer not null references "team" ("id") on delete cascade,
  "user_id" integer not null references "user" ("id") on delete cascade,
  primary key ("team_id", "user_id")
);
create index "team_user_user" on "team_user" ("user_id");

create table "team_repo" (
  "team_id" integer not null references "team" ("id") on delete cascade,
  "repo_id" integer not null references "repository" ("id") on delete cascade,
  primary key ("team_id", "repo_id")
);
create index "team_repo_repo" on "team_repo" ("repo_id");

-- A repository moved to another owner (transfer) keeps answering at its old owner/name for the
-- API and git (and pages redirect there) until that owner takes the name again.
create table "repo_redirect" (
  "owner_id" integer not null references "user" ("id") on delete cascade,
  "lower_name" text not null,
  "repo_id" integer not null references "repository" ("id") on delete cascade,
  primary key ("owner_id", "lower_name")
);
create index "repo_redirect_repo" on "repo_redirect" ("repo_id");
