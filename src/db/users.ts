// Account lookups on Better Auth's tables (written by Better Auth; read here).

export interface UserRecord {
  id: number;
  /** The username as the person typed it (case kept). */
  login: string;
  /** The lower-cased username, unique. */
  lowerName: string;
  email: string;
  fullName: string;
  twoFactorEnabled: boolean;
  /** Commits the server makes for this user carry a no-reply address, not `email`. */
  keepEmailPrivate: boolean;
  createdAt: string;
}

interface UserRow {
  id: number;
  username: string;
  displayUsername: string | null;
  email: string;
  name: string;
  twoFactorEnabled: number | null;
  keep_email_private: number;
  createdAt: string | number;
}

const USER_COLUMNS = `"id", "username", "displayUsername", "email", "name", "twoFactorEnabled", "keep_email_private", "createdAt"`;

/**
 * The login of a user row, in SQL: Better Auth's `displayUsername` keeps the username's case, so
 * it is the login only while it spells the username; anything else in it (older rows, a client
 * that set it) is ignored, never shown as someone's name. Usernames are ASCII, so SQLite's
 * ASCII-only lower() is exact. The one rule for every query that names a user.
 */
export function loginSql(alias: string): string {
  return `(case when lower(${alias}."displayUsername") = ${alias}."username" then ${alias}."displayUsername" else ${alias}."username" end)`;
}

/** loginSql's rule for a row already read. */
export function loginOf(r: { username: string; displayUsername: string | null }): string {
  return r.displayUsername !== null && r.displayUsername.toLowerCase() === r.username
    ? r.displayUsername
    : r.username;
}

function toUser(r: UserRow): UserRecord {
  return {
    id: Number(r.id),
    login: loginOf(r),
    lowerName: r.username,
    email: r.email,
    fullName: r.name,
    twoFactorEnabled: !!r.twoFactorEnabled,
    keepEmailPrivate: r.keep_email_private !== 0,
    createdAt: typeof r.createdAt === 'number' ? new Date(r.createdAt).toISOString() : String(r.createdAt),
  };
}

export async function findUserByName(db: D1Database, name: string): Promise<UserRecord | null> {
  const r = await db
    .prepare(`select ${USER_COLUMNS} from "user" where "username" = ?`)
    .bind(name.toLowerCase())
    .first<UserRow>();
  return r ? toUser(r) : null;
}

export async function findUserById(db: D1Database, id: number): Promise<UserRecord | null> {
  const r = await db.prepare(`select ${USER_COLUMNS} from "user" where "id" = ?`).bind(id).first<UserRow>();
  return r ? toUser(r) : null;
}

/** The id of the account with this email (Better Auth keeps emails lower-cased). */
export async function findUserIdByEmail(db: D1Database, email: string): Promise<number | null> {
  const r = await db
    .prepare(`select "id" from "user" where "email" = ?`)
    .bind(email.trim().toLowerCase())
    .first<{ id: number }>();
  return r ? Number(r.id) : null;
}

/** The server's no-reply address form (`{id}+{login}@users.noreply.{host}`): the account id. */
const NO_REPLY = /^(\d+)\+[^@]+@users\.noreply\./;

/**
 * The accounts commits name by email (Gitea links a commit's author this way): an account's own
 * email, or the no-reply address the server writes for it. One query for all `emails` (a page of
 * commits); the map's keys are the emails as given.
 */
export async function findUsersByCommitEmails(
  db: D1Database,
  emails: readonly string[],
): Promise<Map<string, UserRecord>> {
  const out = new Map<string, UserRecord>();
  // D1 binds at most 100 parameters; a page is at most 50 commits (an author and a committer each).
  const lower = [...new Set(emails.map((e) => e.trim().toLowerCase()).filter((e) => e !== ''))].slice(0, 100);
  const byId = lower.flatMap((e) => {
    const m = NO_REPLY.exec(e);
    return m ? [Number(m[1])] : [];
  });
  const byEmail = lower.filter((e) => !NO_REPLY.test(e));
  if (lower.length === 0) return out;
  const marks = (n: number, from: number) => Array.from({ length: n }, (_, i) => `?${from + i}`).join(',');
  const { results } = await db
    .prepare(
      `select ${USER_COLUMNS} from "user" where "email" in (${marks(byEmail.length, 1) || 'null'})
       or "id" in (${marks(byId.length, byEmail.length + 1) || 'null'})`,
    )
    .bind(...byEmail, ...byId)
    .all<UserRow>();
  const users = results.map(toUser);
  for (const e of emails) {
    const key = e.trim().toLowerCase();
    const id = NO_REPLY.exec(key)?.[1];
    const user = users.find((u) => (id !== undefined ? u.id === Number(id) : u.email.toLowerCase() === key));
    if (user) out.set(e, user);
  }
  return out;
}

/** Whether a (lower-cased) name belongs to an account or an organization (rows of "user"), now
 * or before a rename. */
export async function usernameTaken(db: D1Database, lowerName: string): Promise<boolean> {
  const r = await db
    .prepare(
      `select 1 as x from "user" where "username" = ?1
       union all select 1 from "retired_username" where "lower_name" = ?1`,
    )
    .bind(lowerName)
    .first();
  return r !== null;
}

export interface UserSettings {
  fullName?: string;
  keepEmailPrivate?: boolean;
}

export async function updateUserSettings(db: D1Database, id: number, s: UserSettings): Promise<void> {
  await db
    .prepare(
      `update "user" set "name" = coalesce(?2, "name"),
       "keep_email_private" = coalesce(?3, "keep_email_private") where "id" = ?1`,
    )
    .bind(id, s.fullName ?? null, s.keepEmailPrivate === undefined ? null : s.keepEmailPrivate ? 1 : 0)
    .run();
}

/** The stored password hash of the account's email+password credential, if it has one. */
export async function findPasswordHash(db: D1Database, userId: number): Promise<string | null> {
  const r = await db
    .prepare(`select "password" from "account" where "userId" = ? and "providerId" = 'credential'`)
    .bind(userId)
    .first<{ password: string | null }>();
  return r?.password ?? null;
}
