// Better Auth's sessions (written by Better Auth; read here to re-check long-lived connections).

/** The user of the session with this id while it exists and has not expired; null otherwise. */
export async function activeSessionUser(
  db: D1Database,
  sessionId: string,
  now: Date,
): Promise<number | null> {
  const r = await db
    .prepare(`select "userId", "expiresAt" from "session" where "id" = ?`)
    .bind(/^[0-9]+$/.test(sessionId) ? Number(sessionId) : sessionId)
    .first<{ userId: number; expiresAt: string | number }>();
  if (!r) return null;
  const expires = typeof r.expiresAt === 'number' ? r.expiresAt : Date.parse(r.expiresAt);
  return Number.isNaN(expires) || expires <= now.getTime() ? null : Number(r.userId);
}
