// The LFS batch API (POST .../info/lfs/objects/batch): which objects to transfer, and where.
import { Hono } from 'hono';
import { readJsonObject } from '../../api/body';
import { ApiError, badRequest, invalid } from '../../api/errors';
import { authBaseURL } from '../../auth/auth';
import { findLfsObjects, lfsBytes } from '../../db/lfs';
import type { RepoRecord } from '../../db/repos';
import { MAX_LFS_OBJECT_BYTES, OID_RE } from '../../services/lfs/object-store';
import {
  signTransfer,
  TRANSFER_SCHEME,
  TRANSFER_TTL_SECONDS,
  type TransferOp,
} from '../../services/lfs/transfer-token';
import { authorizeLfs, type LfsContext, type LfsEnv, lfsJson, requireJsonBody } from './common';

/** Objects per batch request; git-lfs sends at most 100. */
const MAX_BATCH_OBJECTS = 1000;

interface Pointer {
  oid: string;
  size: number;
}

function readPointers(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw invalid('objects must be an array');
  if (value.length > MAX_BATCH_OBJECTS)
    throw invalid(`a batch may name at most ${MAX_BATCH_OBJECTS} objects`);
  return value;
}

function pointerOf(item: unknown): Pointer | { oid: string; size: number; error: string } {
  const o = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
  const oid = typeof o.oid === 'string' ? o.oid : '';
  const size = typeof o.size === 'number' ? o.size : -1;
  if (!OID_RE.test(oid)) return { oid, size, error: 'oid must be 64 lowercase hex digits (SHA-256)' };
  if (!Number.isSafeInteger(size) || size < 0)
    return { oid, size, error: 'size must be a whole number of bytes' };
  if (size > MAX_LFS_OBJECT_BYTES) {
    return { oid, size, error: `objects are limited to ${MAX_LFS_OBJECT_BYTES} bytes` };
  }
  return { oid, size };
}

/** The optional cap on a repository's LFS bytes (LFS_MAX_REPO_BYTES), null when unset. */
function repoByteCap(env: Env): number | null {
  const raw = (env as unknown as Record<string, unknown>).LFS_MAX_REPO_BYTES;
  const cap = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
  return Number.isSafeInteger(cap) && cap >= 0 ? cap : null;
}

async function action(
  c: LfsContext,
  repo: RepoRecord,
  p: Pointer,
  op: TransferOp,
  path: string,
): Promise<{ href: string; header: Record<string, string>; expires_in: number }> {
  const exp = Math.floor(Date.now() / 1000) + TRANSFER_TTL_SECONDS;
  const token = await signTransfer(c.env, { repoId: repo.id, oid: p.oid, size: p.size, op, exp });
  const base = `${authBaseURL(c.env, c.req.raw)}/${repo.owner}/${repo.name}.git/info/lfs/objects/${p.oid}`;
  return {
    href: `${base}${path}`,
    header: { Authorization: `${TRANSFER_SCHEME} ${token}` },
    expires_in: TRANSFER_TTL_SECONDS,
  };
}

export const batchApi = new Hono<LfsEnv>();

batchApi.post('/:owner/:repo/info/lfs/objects/batch', async (c) => {
  requireJsonBody(c);
  const body = await readJsonObject(c, 1024 * 1024);
  const operation = body.operation;
  if (operation !== 'upload' && operation !== 'download') {
    throw invalid('operation must be "upload" or "download"');
  }
  const transfers = body.transfers;
  if (transfers !== undefined && (!Array.isArray(transfers) || !transfers.includes('basic'))) {
    throw invalid('this server offers only the basic transfer');
  }
  if (body.hash_algo !== undefined && body.hash_algo !== 'sha256') {
    throw badRequest('this server addresses objects by sha256 only');
  }
  const items = readPointers(body.objects).map(pointerOf);
  const { repo } = await authorizeLfs(c, operation === 'upload' ? 'write' : 'read');

  const valid = items.filter((p): p is Pointer => !('error' in p));
  const present = await findLfsObjects(c.env.DB, repo.id, [...new Set(valid.map((p) => p.oid))]);

  if (operation === 'upload') {
    const cap = repoByteCap(c.env);
    if (cap !== null) {
      const adding = new Map(valid.filter((p) => !present.has(p.oid)).map((p) => [p.oid, p.size]));
      const wanted = (await lfsBytes(c.env.DB, repo.id)) + [...adding.values()].reduce((a, b) => a + b, 0);
      if (adding.size > 0 && wanted > cap) {
        throw new ApiError(
          413,
          `this repository's Git LFS storage is limited to ${cap} bytes; this push would bring it to ${wanted}`,
        );
      }
    }
  }

  const objects = await Promise.all(
    items.map(async (p) => {
      if ('error' in p) return { oid: p.oid, size: p.size, error: { code: 422, message: p.error } };
      const stored = present.get(p.oid);
      if (operation === 'download') {
        if (stored === undefined) return { ...p, error: { code: 404, message: 'Object does not exist' } };
        return {
          oid: p.oid,
          size: stored,
          authenticated: true,
          actions: { download: await action(c, repo, { oid: p.oid, size: stored }, 'download', '') },
        };
      }
      // Already stored: nothing to send.
      if (stored !== undefined) return { oid: p.oid, size: stored, authenticated: true };
      return {
        ...p,
        authenticated: true,
        actions: {
          upload: await action(c, repo, p, 'upload', ''),
          verify: await action(c, repo, p, 'upload', '/verify'),
        },
      };
    }),
  );
  return lfsJson({ transfer: 'basic', objects, hash_algo: 'sha256' });
});
