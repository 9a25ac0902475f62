// Webhooks of a repository and their deliveries (migration 0008).

export interface HookRecord {
  id: number;
  repoId: number;
  url: string;
  contentType: string;
  /** Encrypted (src/webhooks/crypto.ts); '' when none. */
  secret: string;
  events: string[];
  branchFilter: string;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

interface HookRow {
  id: number;
  repo_id: number;
  url: string;
  content_type: string;
  secret: string;
  events: string;
  branch_filter: string;
  active: number;
  created_at: string;
  updated_at: string;
}

function toHook(r: HookRow): HookRecord {
  return {
    id: Number(r.id),
    repoId: Number(r.repo_id),
    url: r.url,
    contentType: r.content_type,
    secret: r.secret,
    events: JSON.parse(r.events) as string[],
    branchFilter: r.branch_filter,
    active: !!r.active,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export interface HookFields {
  url: string;
  contentType: string;
  secret: string;
  events: string[];
  branchFilter: string;
  active: boolean;
}

export async function insertHook(db: D1Database, repoId: number, f: HookFields): Promise<HookRecord> {
  const now = new Date().toISOString();
  const row = await db
    .prepare(
      `insert into "webhook" ("repo_id", "url", "content_type", "secret", "events", "branch_filter", "active", "created_at", "updated_at")
       values (?, ?, ?, ?, ?, ?, ?, ?, ?) returning *`,
    )
    .bind(
      repoId,
      f.url,
      f.contentType,
      f.secret,
      JSON.stringify(f.events),
      f.branchFilter,
      f.active ? 1 : 0,
      now,
      now,
    )
    .first<HookRow>();
  return toHook(row!);
}

export async function updateHook(db: D1Database, hook: HookRecord, f: HookFields): Promise<HookRecord> {
  const row = await db
    .prepare(
      `update "webhook" set "url" = ?, "content_type" = ?, "secret" = ?, "events" = ?, "branch_filter" = ?,
       "active" = ?, "updated_at" = ? where "id" = ? returning *`,
    )
    .bind(
      f.url,
      f.contentType,
      f.secret,
      JSON.stringify(f.events),
      f.branchFilter,
      f.active ? 1 : 0,
      new Date().toISOString(),
      hook.id,
    )
    .first<HookRow>();
  return toHook(row!);
}

export async function listHooks(db: D1Database, repoId: number): Promise<HookRecord[]> {
  const { results } = await db
    .prepare(`select * from "webhook" where "repo_id" = ? order by "id"`)
    .bind(repoId)
    .all<HookRow>();
  return results.map(toHook);
}

export async function findHook(db: D1Database, repoId: number, id: number): Promise<HookRecord | null> {
  const r = await db
    .prepare(`select * from "webhook" where "repo_id" = ? and "id" = ?`)
    .bind(repoId, id)
    .first<HookRow>();
  return r ? toHook(r) : null;
}

export async function deleteHook(db: D1Database, repoId: number, id: number): Promise<boolean> {
  const r = await db.prepare(`delete from "webhook" where "repo_id" = ? and "id" = ?`).bind(repoId, id).run();
  return (r.meta.changes ?? 0) > 0;
}

export interface DeliveryRecord {
  id: number;
  hookId: number;
  repoId: number;
  guid: string;
  event: string;
  action: string;
  payload: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: number | null;
  requestHeaders: Record<string, string>;
  responseStatus: number | null;
  responseHeaders: Record<string, string>;
  responseBody: string;
  error: string;
  durationMs: number | null;
  createdAt: string;
  deliveredAt: string | null;
}

interface DeliveryRow {
  id: number;
  hook_id: number;
  repo_id: number;
  guid: string;
  event: string;
  action: string;
  payload: string;
  state: string;
  attempts: number;
  next_attempt_at: number | null;
  request_headers: string;
  response_status: number | null;
  response_headers: string;
  response_body: string;
  error: string;
  duration_ms: number | null;
  created_at: string;
  delivered_at: string | null;
}

function toDelivery(r: DeliveryRow): DeliveryRecord {
  return {
    id: Number(r.id),
    hookId: Number(r.hook_id),
    repoId: Number(r.repo_id),
    guid: r.guid,
    event: r.event,
    action: r.action,
    payload: r.payload,
    state: r.state as DeliveryRecord['state'],
    attempts: Number(r.attempts),
    nextAttemptAt: r.next_attempt_at === null ? null : Number(r.next_attempt_at),
    requestHeaders: JSON.parse(r.request_headers) as Record<string, string>,
    responseStatus: r.response_status === null ? null : Number(r.response_status),
    responseHeaders: JSON.parse(r.response_headers) as Record<string, string>,
    responseBody: r.response_body,
    error: r.error,
    durationMs: r.duration_ms === null ? null : Number(r.duration_ms),
    createdAt: r.created_at,
    deliveredAt: r.delivered_at,
  };
}

export interface NewDelivery {
  hookId: number;
  repoId: number;
  guid: string;
  event: string;
  action: string;
  payload: string;
  nextAttemptAt: number;
}

/**
 * Drops each hook's finished deliveries beyond its last `keep`. A pending one is never dropped:
 * a push of 200 refs queues 200 per hook, and each must still be sent.
 */
function trimStatements(db: D1Database, hookIds: Iterable<number>, keep: number): D1PreparedStatement[] {
  return [...new Set(hookIds)].map((hookId) =>
    db
      .prepare(
        `delete from "webhook_delivery" where "hook_id" = ?1 and "state" <> 'pending' and "id" not in
         (select "id" from "webhook_delivery" where "hook_id" = ?1 order by "id" desc limit ?2)`,
      )
      .bind(hookId, keep),
  );
}

/** Queues deliveries, keeping the last `keep` finished ones of each hook they touch. */
export async function insertDeliveries(db: D1Database, list: NewDelivery[], keep: number): Promise<void> {
  if (list.length === 0) return;
  const now = new Date().toISOString();
  const stmts = list.map((d) =>
    db
      .prepare(
        `insert into "webhook_delivery" ("hook_id", "repo_id", "guid", "event", "action", "payload", "next_attempt_at", "created_at")
         values (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(d.hookId, d.repoId, d.guid, d.event, d.action, d.payload, d.nextAttemptAt, now),
  );
  await db.batch([
    ...stmts,
    ...trimStatements(
      db,
      list.map((d) => d.hookId),
      keep,
    ),
  ]);
}

export async function dueDeliveries(db: D1Database, repoId: number, now: number, limit: number) {
  const { results } = await db
    .prepare(
      `select * from "webhook_delivery" where "repo_id" = ? and "state" = 'pending' and "next_attempt_at" <= ?
       order by "id" limit ?`,
    )
    .bind(repoId, now, limit)
    .all<DeliveryRow>();
  return results.map(toDelivery);
}

/** When the repository's next pending delivery is due, or null when none waits. */
export async function nextDueAt(db: D1Database, repoId: number): Promise<number | null> {
  const r = await db
    .prepare(
      `select min("next_attempt_at") as "at" from "webhook_delivery" where "repo_id" = ? and "state" = 'pending'`,
    )
    .bind(repoId)
    .first<{ at: number | null }>();
  return r?.at == null ? null : Number(r.at);
}

export interface AttemptOutcome {
  state: DeliveryRecord['state'];
  nextAttemptAt: number | null;
  requestHeaders: Record<string, string>;
  responseStatus: number | null;
  responseHeaders: Record<string, string>;
  responseBody: string;
  error: string;
  durationMs: number;
}

function attemptStatement(db: D1Database, id: number, o: AttemptOutcome): D1PreparedStatement {
  return db
    .prepare(
      `update "webhook_delivery" set "state" = ?, "attempts" = "attempts" + 1, "next_attempt_at" = ?,
       "request_headers" = ?, "response_status" = ?, "response_headers" = ?, "response_body" = ?, "error" = ?,
       "duration_ms" = ?, "delivered_at" = ? where "id" = ?`,
    )
    .bind(
      o.state,
      o.nextAttemptAt,
      JSON.stringify(o.requestHeaders),
      o.responseStatus,
      JSON.stringify(o.responseHeaders),
      o.responseBody,
      o.error,
      o.durationMs,
      new Date().toISOString(),
      id,
    );
}

/** Records a run's attempts in one round trip, then keeps the last `keep` finished per hook. */
export async function recordAttempts(
  db: D1Database,
  done: readonly { id: number; hookId: number; outcome: AttemptOutcome }[],
  keep: number,
): Promise<void> {
  if (done.length === 0) return;
  const updates = done.map((d) => attemptStatement(db, d.id, d.outcome));
  await db.batch([
    ...updates,
    ...trimStatements(
      db,
      done.map((d) => d.hookId),
      keep,
    ),
  ]);
}

/** Puts a delivery back in the queue, due at `at` (a redelivery). */
export async function requeueDelivery(db: D1Database, id: number, at: number): Promise<void> {
  await db
    .prepare(`update "webhook_delivery" set "state" = 'pending', "next_attempt_at" = ? where "id" = ?`)
    .bind(at, id)
    .run();
}

export async function listDeliveries(db: D1Database, hookId: number): Promise<DeliveryRecord[]> {
  const { results } = await db
    .prepare(`select * from "webhook_delivery" where "hook_id" = ? order by "id" desc`)
    .bind(hookId)
    .all<DeliveryRow>();
  return results.map(toDelivery);
}

export async function findDelivery(
  db: D1Database,
  hookId: number,
  id: number,
): Promise<DeliveryRecord | null> {
  const r = await db
    .prepare(`select * from "webhook_delivery" where "hook_id" = ? and "id" = ?`)
    .bind(hookId, id)
    .first<DeliveryRow>();
  return r ? toDelivery(r) : null;
}
