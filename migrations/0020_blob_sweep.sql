-- R2 prefixes whose objects are to be deleted (a deleted repository's Git LFS objects, release
-- assets and attachments). Written in the same batch that deletes the repository's row; the
-- BlobSweeper object's alarm deletes the objects in bounded runs and drops a row once its prefix
-- lists nothing, so work cut short resumes from what is left.
create table "blob_sweep" (
  "prefix" text not null primary key,
  "created_at" integer not null
);
