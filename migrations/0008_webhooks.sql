-- Webhooks per repository (Gitea's shape) and their deliveries. The secret is kept encrypted
-- with a key derived from the server's secret: it must be read back to sign each delivery.
create table "webhook" (
  "id" integer not null primary key autoincrement,
  "repo_id" integer not null references "repository" ("id") on delete cascade,
  "url" text not null,
  "content_type" text not null default 'json',
  -- AES-GCM ciphertext (base64 of iv + data), or '' when the hook has no secret.
  "secret" text not null default '',
  -- JSON array of event names.
  "events" text not null,
  "branch_filter" text not null default '',
  "active" integer not null default 1,
  "created_at" text not null,
  "updated_at" text not null
);
create index "webhook_repo" on "webhook" ("repo_id");

-- One row per event sent to a hook: what was sent, the last answer, and when to try again.
-- The last 20 per hook are kept.
create table "webhook_delivery" (
  "id" integer not null primary key autoincrement,
  "hook_id" integer not null references "webhook" ("id") on delete cascade,
  "repo_id" integer not null,
  "guid" text not null,
  "event" text not null,
  -- The action of issue and pull request events ('opened', ...), else ''.
  "action" text not null default '',
  "payload" text not null,
  -- 'pending' (waiting for an attempt), 'delivered' (2xx), 'failed' (attempts exhausted).
  "state" text not null default 'pending',
  "attempts" integer not null default 0,
  "next_attempt_at" integer,
  "request_headers" text not null default '{}',
  "response_status" integer,
  "response_headers" text not null default '{}',
  "response_body" text not null default '',
  "error" text not null default '',
  "duration_ms" integer,
  "created_at" text not null,
  "delivered_at" text
);
create index "webhook_delivery_hook" on "webhook_delivery" ("hook_id", "id");
create index "webhook_delivery_due" on "webhook_delivery" ("repo_id", "state", "next_attempt_at");
