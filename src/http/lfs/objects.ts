// The LFS basic transfer: PUT and GET of one object, and the verify action after an upload.
// Requests carry the batch API's transfer token, or credentials as git sends them.
import { Hono } from 'hono';
import { readJsonObject } from '../../api/body';
import { ApiError, invalid, notFound } from '../../api/errors';
import { findLfsObjects, insertLfsObject } from '../../db/lfs';
import { findRepo, type RepoRecord } from '../../db/repos';
import { lfsKey, MAX_LFS_OBJECT_BYTES, OID_RE, storeLfsObject } from '../../services/lfs/object-store';
import { TRANSFER_SCHEME, type TransferOp, verifyTransfer } from '../../services/lfs/transfer-token';
import { authorizeLfs, type LfsContext, type LfsEnv, lfsJson, repoNameOf, requireJsonBody } from './common';

/** The repository and oid a transfer request is for, once its token or credentials allow `op`;
 * `size` is the size the token was issued for (null when credentials were used instead). */
async function authorizeTransfer(
  c: LfsContext,
  op: TransferOp,
): Promise<{ repo: RepoRecord; oid: string; size: number | null }> {
  const oid = c.req.param('oid') ?? '';
  if (!OID_RE.test(oid)) throw notFound('Object does not exist');
  const auth = c.req.header('authorization') ?? '';
  if (!auth.startsWith(`${TRANSFER_SCHEME} `)) {
    const { repo } = await authorizeLfs(c, op === 'upload' ? 'write' : 'read');
    return { repo, oid, size: null };
  }
  const grant = await verifyTransfer(
    c.env,
    auth.slice(TRANSFER_SCHEME.length + 1),
    Math.floor(Date.now() / 1000),
  );
  const repo = await findRepo(c.env.DB, c.req.param('owner') ?? '', repoNameOf(c.req.param('repo') ?? ''));
  if (!grant || !repo || grant.repoId !== repo.id || grant.oid !== oid || grant.op !== op) {
    throw new ApiError(401, 'the transfer token is invalid or has expired; ask the batch API again');
  }
  return { repo, oid, size: grant.size };
}

export const objectsApi = new Hono<LfsEnv>();

objectsApi.put('/:owner/:repo/info/lfs/objects/:oid', async (c) => {
  const { repo, oid, size: granted } = await authorizeTransfer(c, 'upload');
  const header = c.req.header('content-length');
  const declared = header !== undefined && /^\d+$/.test(header) ? Number(header) : null;
  const size = granted ?? declared;
  if (size === null) throw new ApiError(400, 'Content-Length is required');
  if (size > MAX_LFS_OBJECT_BYTES)
    throw new ApiError(413, `objects are limited to ${MAX_LFS_OBJECT_BYTES} bytes`);
  if (declared !== null && declared !== size) {
    throw new ApiError(400, `the upload has ${declared} bytes, the object ${size}`);
  }
  const body = c.req.raw.body ?? new Blob([]).stream();
  const outcome = await storeLfsObject(c.env.BLOBS, lfsKey(repo.id, oid), oid, size, body);
  if (!outcome.ok) throw new ApiError(outcome.status, outcome.message);
  await insertLfsObject(c.env.DB, repo.id, oid, size);
  return lfsJson({});
});

objectsApi.get('/:owner/:repo/info/lfs/objects/:oid', async (c) => {
  const { repo, oid } = await authorizeTransfer(c, 'download');
  const known = await findLfsObjects(c.env.DB, repo.id, [oid]);
  const object = known.has(oid) ? await c.env.BLOBS.get(lfsKey(repo.id, oid)) : null;
  if (!object) throw notFound('Object does not exist');
  return new Response(object.body, {
    headers: {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(object.size),
      'Cache-Control': 'private, no-store',
    },
  });
});

objectsApi.post('/:owner/:repo/info/lfs/objects/:oid/verify', async (c) => {
  const { repo, oid } = await authorizeTransfer(c, 'upload');
  requireJsonBody(c);
  const body = await readJsonObject(c);
  if (body.oid !== oid || typeof body.size !== 'number') throw invalid('oid and size must name this object');
  const stored = (await findLfsObjects(c.env.DB, repo.id, [oid])).get(oid);
  if (stored === undefined) throw notFound('Object does not exist');
  if (stored !== body.size) throw invalid(`the object has ${stored} bytes, not ${body.size}`);
  return lfsJson({});
});
