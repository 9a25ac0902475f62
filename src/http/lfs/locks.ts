// The LFS locks API (.../info/lfs/locks): `git lfs lock`, `unlock`, `locks`, and the "verify"
// git-lfs asks before a push so it can refuse to push files others hold locked.
import { Hono } from 'hono';
import { readJsonObject } from '../../api/body';
import { ApiError, forbidden, invalid, notFound } from '../../api/errors';
import { can } from '../../auth/access';
import { deleteLfsLock, findLfsLock, insertLfsLock, type LfsLock, listLfsLocks } from '../../db/lfs';
import { authorizeLfs, type LfsEnv, lfsJson, requireJsonBody } from './common';

const MAX_PATH = 4096;
const DEFAULT_LIMIT = 100;

function lockJson(l: LfsLock) {
  return { id: String(l.id), path: l.path, locked_at: l.lockedAt, owner: { name: l.owner } };
}

function refName(body: Record<string, unknown>): string | null {
  const ref = body.ref;
  if (typeof ref !== 'object' || ref === null) return null;
  const name = (ref as Record<string, unknown>).name;
  return typeof name === 'string' ? name.slice(0, 1024) : null;
}

/** A page of locks: the cursor is the last id of the previous page. */
function pageOf(cursor: unknown, limit: unknown): { afterId: number; limit: number } {
  const after = cursor === undefined || cursor === null || cursor === '' ? 0 : Number(cursor);
  const n = limit === undefined || limit === null || limit === '' ? DEFAULT_LIMIT : Number(limit);
  if (!Number.isSafeInteger(after) || after < 0) throw invalid('cursor is not one this server gave');
  if (!Number.isSafeInteger(n) || n < 1) throw invalid('limit must be a positive whole number');
  return { afterId: after, limit: Math.min(n, DEFAULT_LIMIT) };
}

function nextCursor(page: LfsLock[], limit: number): string | undefined {
  return page.length === limit ? String(page[page.length - 1].id) : undefined;
}

export const locksApi = new Hono<LfsEnv>();

locksApi.post('/:owner/:repo/info/lfs/locks', async (c) => {
  requireJsonBody(c);
  const body = await readJsonObject(c);
  const { repo, actor } = await authorizeLfs(c, 'write');
  const path = body.path;
  if (typeof path !== 'string' || path === '' || path.length > MAX_PATH) {
    throw invalid(`path must be a file path of 1 to ${MAX_PATH} characters`);
  }
  if (!actor) throw new ApiError(401, 'Authentication required');
  const lock = await insertLfsLock(c.env.DB, repo.id, path, actor.userId, refName(body));
  if (lock) return lfsJson({ lock: lockJson(lock) }, 201);
  const held = await findLfsLock(c.env.DB, repo.id, { path });
  return lfsJson({ lock: held ? lockJson(held) : undefined, message: 'already created lock' }, 409);
});

locksApi.get('/:owner/:repo/info/lfs/locks', async (c) => {
  const { repo } = await authorizeLfs(c, 'read');
  const page = pageOf(c.req.query('cursor'), c.req.query('limit'));
  const id = c.req.query('id');
  if (id !== undefined) {
    const lock = /^\d+$/.test(id) ? await findLfsLock(c.env.DB, repo.id, { id: Number(id) }) : null;
    const path = c.req.query('path');
    return lfsJson({ locks: lock && (path === undefined || path === lock.path) ? [lockJson(lock)] : [] });
  }
  const locks = await listLfsLocks(c.env.DB, repo.id, { ...page, path: c.req.query('path') || undefined });
  return lfsJson({ locks: locks.map(lockJson), next_cursor: nextCursor(locks, page.limit) });
});

locksApi.post('/:owner/:repo/info/lfs/locks/verify', async (c) => {
  requireJsonBody(c);
  const body = await readJsonObject(c);
  const { repo, actor } = await authorizeLfs(c, 'write');
  const page = pageOf(body.cursor, body.limit);
  const locks = await listLfsLocks(c.env.DB, repo.id, page);
  const mine = (l: LfsLock) => actor !== null && l.ownerId === actor.userId;
  return lfsJson({
    ours: locks.filter(mine).map(lockJson),
    theirs: locks.filter((l) => !mine(l)).map(lockJson),
    next_cursor: nextCursor(locks, page.limit),
  });
});

locksApi.post('/:owner/:repo/info/lfs/locks/:id/unlock', async (c) => {
  requireJsonBody(c);
  const body = await readJsonObject(c);
  const { repo, actor, permission } = await authorizeLfs(c, 'write');
  const id = c.req.param('id');
  const lock = /^\d+$/.test(id) ? await findLfsLock(c.env.DB, repo.id, { id: Number(id) }) : null;
  if (!lock) throw notFound('Lock not found');
  if (lock.ownerId !== actor?.userId) {
    if (body.force !== true)
      throw forbidden(`${lock.path} is locked by ${lock.owner}; unlock it with --force`);
    // Breaking someone else's lock is the repository administrators' call.
    if (!can(permission, 'admin')) throw forbidden("only repository administrators may break others' locks");
  }
  await deleteLfsLock(c.env.DB, repo.id, lock.id);
  return lfsJson({ lock: lockJson(lock) });
});
