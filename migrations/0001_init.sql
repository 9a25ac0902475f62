-- Accounts (Better Auth's tables, as `better-auth/db/migration` prints them for our plugin set:
-- username, twoFactor, genericOAuth; serial ids), then Gitflare's own tables.
-- src/auth/schema.test.ts fails when Better Auth expects a table or column missing here.

create table "user" ("id" integer not null primary key, "name" text not null, "email" text not null unique, "emailVerified" integer not null, "image" text, "createdAt" date not null, "updatedAt" date not null, "username" text unique, "displayUsername" text, "twoFactorEnabled" integer);

create table "session" ("id" integer not null primary key, "expiresAt" date not null, "token" text not null unique, "createdAt" date not null, "updatedAt" date not null, "ipAddress" text, "userAgent" text, "userId" integer not null references "user" ("id") on delete cascade);

create table "account" ("id" integer not null primary key, "accountId" text not null, "providerId" text not null, "userId" integer not null references "user" ("id") on delete cascade, "accessToken" text, "refreshToken" text, "idToken" text, "accessTokenExpiresAt" date, "refreshTokenExpiresAt" date, "scope" text, "password" text, "createdAt" date not null, "updatedAt" date not null);

create table "verification" ("id" integer not null primary key, "identifier" text not null, "value" text not null, "expiresAt" date not null, "createdAt" date not null, "updatedAt" date not null);

create table "twoFactor" ("id" integer not null primary key, "secret" text not null, "backupCodes" text not null, "userId" integer not null references "user" ("id") on delete cascade, "verified" integer, "failedVerificationCount" integer, "lockedUntil" date);

create index "session_userId_idx" on "session" ("userId");

create index "account_userId_idx" on "account" ("userId");

create index "verification_identifier_idx" on "verification" ("identifier");

create index "twoFactor_secret_idx" on "twoFactor" ("secret");

create index "twoFactor_userId_idx" on "twoFactor" ("userId");

-- Personal access tokens: only the SHA-256 of the token is kept.
create table "access_token" (
  "id" integer not null primary key,
  "user_id" integer not null references "user" ("id") on delete cascade,
  "name" text not null,
  "token_hash" text not null unique,
  "token_last_eight" text not null,
  "scopes" text not null,
  "created_at" text not null,
  "last_used_at" text,
  "expires_at" text
);
create unique index "access_token_user_name" on "access_token" ("user_id", "name");

-- Repositories: `lower_name` makes names unique per owner without regard to case. The id is
-- never reused (AUTOINCREMENT) because it names the repository's Durable Object.
create table "repository" (
  "id" integer not null primary key autoincrement,
  "owner_id" integer not null references "user" ("id") on delete cascade,
  "name" text not null,
  "lower_name" text not null,
  "description" text not null default '',
  "private" integer not null default 0,
  "default_branch" text not null default 'main',
  "topics" text not null default '[]',
  "created_at" text not null,
  "updated_at" text not null
);
create unique index "repository_owner_lower_name" on "repository" ("owner_id", "lower_name");
create index "repository_lower_name" on "repository" ("lower_name");

create table "collaborator" (
  "repo_id" integer not null references "repository" ("id") on delete cascade,
  "user_id" integer not null references "user" ("id") on delete cascade,
  "permission" text not null check ("permission" in ('read', 'write', 'admin')),
  "created_at" text not null,
  primary key ("repo_id", "user_id")
);
create index "collaborator_user" on "collaborator" ("user_id");
