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
  createdAt: string;
}

interface UserRow {
  id: number;
  username: string;
  displayUsername: string | null;
  email: string;
  name: string;
  twoFactorEnabled: number | null;
  createdAt: string | number;
}

const USER_COLUMNS = `"id", "username", "displayUsername", "email", "name", "twoFactorEnabled", "createdAt"`;

function toUser(r: UserRow): UserRecord {
  return {
    id: Number(r.id),
    login: r.displayUsername || r.username,
    lowerName: r.username,
    email: r.email,
    fullName: r.name,
    twoFactorEnabled: !!r.twoFactorEnabled,
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

export async function usernameTaken(db: D1Database, lowerName: string): Promise<boolean> {
  const r = await db.prepare(`select 1 as x from "user" where "username" = ?`).bind(lowerName).first();
  return r !== null;
}

/** The stored password hash of the account's email+password credential, if it has one. */
export async function findPasswordHash(db: D1Database, userId: number): Promise<string | null> {
  const r = await db
    .prepare(`select "password" from "account" where "userId" = ? and "providerId" = 'credential'`)
    .bind(userId)
    .first<{ password: string | null }>();
  return r?.password ?? null;
}
