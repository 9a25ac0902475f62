-- A Gitea-service migration's import runs in bounded steps on the repository's alarm: a step may
-- end inside a page, so the cursor also keeps the item of the page the next step starts at.
alter table "migration_import" add column "item" integer not null default 0;
