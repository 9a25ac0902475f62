/**
 * Push mirrors, run inside the repository's object: each mirror chosen is pushed to (the engine's
 * mirror push through the checked outgoing requests) and its outcome recorded on it, whatever
 * happens; one mirror's failure does not stop the others.
 */
import { listPushMirrors, type PushMirrorRecord, recordPushMirror } from '../db/push-mirrors';
import { isGitError } from '../git/errors';
import type { GitRepository } from '../git/protocol/repository';
import { firstRefusal, mirrorPush } from '../git/send/send-pack';
import { readMeta, writeMeta } from './meta';
import { remoteAccess } from './remote-access';

/** Which mirrors a run pushes to: one by name, those synced on commit, those due at a time, or all. */
export type PushMirrorSelection =
  | { readonly kind: 'all' }
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'on-commit' }
  | { readonly kind: 'due'; readonly now: number };

export interface PushMirrorContext {
  readonly env: Env;
  /** The object's own storage: where the count of mirrors synced on commit is kept. */
  readonly sql: SqlStorage;
  readonly repoId: number;
  readonly repo: GitRepository;
  readonly agent: string;
}

/** When a mirror's interval next falls due (null: on demand only). */
export function nextDue(m: PushMirrorRecord): number | null {
  if (m.intervalSeconds <= 0) return null;
  return Date.parse(m.lastUpdate ?? m.createdAt) + m.intervalSeconds * 1000;
}

function selected(m: PushMirrorRecord, s: PushMirrorSelection): boolean {
  if (s.kind === 'all') return true;
  if (s.kind === 'name') return m.remoteName === s.name;
  if (s.kind === 'on-commit') return m.syncOnCommit;
  const due = nextDue(m);
  return due !== null && due <= s.now;
}

/** Pushes to the mirrors selected; returns the earliest time one is due next (null: none). */
export async function pushToMirrors(
  ctx: PushMirrorContext,
  selection: PushMirrorSelection,
): Promise<number | null> {
  const mirrors = await listPushMirrors(ctx.env.DB, ctx.repoId);
  recordOnCommitCount(ctx.sql, mirrors.filter((m) => m.syncOnCommit).length);
  for (const m of mirrors) {
    if (!selected(m, selection)) continue;
    const error = await pushOne(ctx, m);
    await recordPushMirror(ctx.env.DB, m.id, error);
    m.lastUpdate = new Date().toISOString();
  }
  const due = mirrors.map(nextDue).filter((t): t is number => t !== null);
  return due.length > 0 ? Math.min(...due) : null;
}

const ON_COMMIT_KEY = 'push_mirrors_on_commit';

/**
 * How many push mirrors follow each push, as the last run listed them (every add or delete runs
 * one); null before any run. With 0, a push does not look the list up at all.
 */
export function onCommitCount(sql: SqlStorage): number | null {
  const value = readMeta(sql, ON_COMMIT_KEY);
  return value === null ? null : Number(value);
}

function recordOnCommitCount(sql: SqlStorage, count: number): void {
  writeMeta(sql, ON_COMMIT_KEY, String(count));
}

/** null when the remote is now equal; else what went wrong, fit to show. */
async function pushOne(ctx: PushMirrorContext, m: PushMirrorRecord): Promise<string | null> {
  try {
    const access = remoteAccess();
    const authorization = m.credentials ? await access.openCredentials(ctx.env, m.credentials) : null;
    if (m.credentials && authorization === null) {
      return 'the stored credentials cannot be read (the server secret changed)';
    }
    const transport = access.transport(ctx.env, m.remoteAddress, authorization);
    return firstRefusal(await mirrorPush(ctx.repo, transport, { agent: ctx.agent }));
  } catch (e) {
    if (isGitError(e) || remoteAccess().isRefusal(e)) return e.message;
    if (e instanceof TypeError) return 'could not reach the remote';
    console.error('push mirror failed', e);
    return 'the push failed';
  }
}
