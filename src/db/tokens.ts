// Personal access tokens. Only SHA-256 hashes are stored.

export interface TokenRecord {
  id: number;
  userId: number;
  name: string;
  tokenLastEight: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

interface TokenRow {
  id: number;
  user_id: number;
  name: string;
  token_last_eight: string;
  scopes: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
}

const COLUMNS = `"id", "user_id", "name", "token_last_eight", "scopes", "created_at", "last_used_at", "expires_at"`;

function toToken(r: TokenRow): TokenRecord {
  return {
    id: Number(r.id),
    userId: Number(r.user_id),
    name: r.name,
    tokenLastEight: r.token_last_eight,
    scopes: r.scopes.split(',').filter(Boolean),
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    expiresAt: r.expires_at,
  };
}

export interface NewToken {
  userId: number;
  name: string;
  tokenHash: string;
  tokenLastEight: string;
  scopes: string[];
  expiresAt: string | null;
}

/** Inserts a token; null when the user already has a token of that name. */
export async function insertToken(db: D1Database, t: NewToken): Promise<TokenRecord | null> {
  const now = new Date().toISOString();
  const r = await db
    .prepare(
      `insert into "access_token" ("user_id", "name", "token_hash", "token_last_eight", "scopes", "created_at", "expires_at")
       values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing returning ${COLUMNS}`,
    )
    .bind(t.userId, t.name, t.tokenHash, t.tokenLastEight, t.scopes.join(','), now, t.expiresAt)
    .first<TokenRow>();
  return r ? toToken(r) : null;
}

export async function listTokens(db: D1Database, userId: number): Promise<TokenRecord[]> {
  const { results } = await db
    .prepare(`select ${COLUMNS} from "access_token" where "user_id" = ? order by "id"`)
    .bind(userId)
    .all<TokenRow>();
  return results.map(toToken);
}

export async function findTokenByHash(db: D1Database, tokenHash: string): Promise<TokenRecord | null> {
  const r = await db
    .prepare(`select ${COLUMNS} from "access_token" where "token_hash" = ?`)
    .bind(tokenHash)
    .first<TokenRow>();
  return r ? toToken(r) : null;
}

export async function findTokenById(db: D1Database, id: number): Promise<TokenRecord | null> {
  const r = await db
    .prepare(`select ${COLUMNS} from "access_token" where "id" = ?`)
    .bind(id)
    .first<TokenRow>();
  return r ? toToken(r) : null;
}

export async function touchToken(db: D1Database, id: number, at: string): Promise<void> {
  await db.prepare(`update "access_token" set "last_used_at" = ? where "id" = ?`).bind(at, id).run();
}

/** Deletes a user's token by id or by name; true when one was deleted. */
export async function deleteToken(
  db: D1Database,
  userId: number,
  idOrName: number | string,
): Promise<boolean> {
  const column = typeof idOrName === 'number' ? '"id"' : '"name"';
  const r = await db
    .prepare(`delete from "access_token" where "user_id" = ? and ${column} = ?`)
    .bind(userId, idOrName)
    .run();
  return (r.meta.changes ?? 0) > 0;
}
