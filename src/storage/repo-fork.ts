/**
 * The repository object's side of forks: copying a parent's git data into a new fork, fetching a
 * fork's commit for a pull request's head, and bringing a fork's branch up to its parent's.
 */
import { receivePack } from '../git/protocol/receive-pack';
import { ZERO_OID } from '../git/store';
import { copyFork, type ForkCopyResult } from './fork-copy';
import { type FetchRefResult, fetchRefFrom } from './pull-head';
import type { RepoCore } from './repo-core';
import { syncFromUpstream, type UpstreamSyncRequest, type UpstreamSyncResult } from './upstream-sync';

/** Make this new, empty repository a copy of repository `parentId`'s git data (see fork-copy.ts). */
export async function copyFrom(core: RepoCore, parentId: number): Promise<ForkCopyResult> {
  const parent = core.env.REPO.get(core.env.REPO.idFromName(`repo:${parentId}`));
  // The copy writes the parent's rows batch by batch (see admission.ts); the parent's side is light.
  const release = await core.admission.enter('fork');
  try {
    return await copyFork(core.sql, core.ctx.storage, {
      snapshot: () => parent.forkSnapshot(),
      rows: (packId, table, fromSeq) => parent.forkRows(packId, table, fromSeq),
    });
  } finally {
    release();
    core.packs.forgetLivePacks();
    core.packs.dropCaches();
  }
}

/**
 * Point `ref` at commit `oid` of repository `sourceId` (a fork), fetching what this repository
 * lacks of it from the source's object: a thin pack, indexed and checked as a push is.
 */
export async function fetchRef(
  core: RepoCore,
  sourceId: number,
  oid: string,
  ref: string,
): Promise<FetchRefResult> {
  const source = core.env.REPO.get(core.env.REPO.idFromName(`repo:${sourceId}`));
  const refs = core.refStore();
  return fetchRefFrom(
    {
      tips: () => refs.listSync(['refs/heads/', 'refs/tags/']).map((r) => r.oid),
      has: (id) => core.packs.lookupSync(id) !== null,
      setRef: async (id) => {
        const [r] = await refs.update([{ name: ref, oldOid: refs.get(ref) ?? ZERO_OID, newOid: id }], {
          atomic: true,
        });
        return r.ok ? null : r.reason;
      },
      current: () => refs.get(ref),
      receive: (body) => receivePack(body, core.repository(), core.pushLimits()),
    },
    (body) => source.uploadPack(body, 2),
    oid,
    ref,
  );
}

/** A fork's branch brought up to `tip`, its parent's branch (see upstream-sync.ts). */
export async function syncUpstream(
  core: RepoCore,
  parentId: number,
  tip: string,
  request: UpstreamSyncRequest,
): Promise<UpstreamSyncResult> {
  const repo = core.repository();
  // Each merge adds a small pack, as a push does.
  await core.scheduleCompaction();
  return syncFromUpstream(
    {
      ...repo,
      packs: core.packs,
      cachedPack: repo.cachedPack,
      fetch: (oid, ref) => fetchRef(core, parentId, oid, ref),
    },
    tip,
    request,
  );
}
