-- Identity: a renamed account keeps its old usernames, so nobody else can take them (and with
-- them the old repository URLs, which keep answering for the account); and the choice to show
-- the account's email in commits the server makes (merges), hidden by default as on GitHub.
create table "retired_username" (
  -- The old username, lower-cased (as "user"."username" is).
  "lower_name" text not null primary key,
  "user_id" integer not null references "user" ("id") on delete cascade,
  "retired_at" text not null
);
create index "retired_username_user" on "retired_username" ("user_id");

alter table "user" add column "keep_email_private" integer not null default 1;
