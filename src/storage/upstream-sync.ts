/**
 * "Sync fork" (Gitea's merge-upstream): a fork's branch brought up to its parent's branch. The
 * parent's tip is first fetched into the fork under a ref of its own (`refs/sync/{branch}`, which
 * no push may touch), then the branch is fast-forwarded to it, or, when the two have diverged,
 * given a merge commit when it merges cleanly; both through the merge's ref update, so branch
 * protection applies as to a push. The fetched ref is removed afterwards.
 */
import type { MergePackStore, MergeRequest, MergeResult } from '../git/merge/merge-refs';
import { runMerge } from '../git/merge/merge-refs';
import type { ObjectDatabase } from '../git/odb';
import type { CachedPackStore, RefStore } from '../git/store';
import { dropRef } from './fork-compare';
import type { FetchRefResult } from './pull-head';

export type UpstreamSyncRequest = Omit<MergeRequest, 'style' | 'base' | 'head' | 'expectedHead'> & {
  readonly branch: string;
};

export type UpstreamSyncResult =
  | {
      readonly kind: 'synced';
      readonly type: 'fast-forward' | 'merge';
      readonly oldTip: string;
      readonly newTip: string;
    }
  | { readonly kind: 'up_to_date' }
  | { readonly kind: 'fetch_failed'; readonly reason: string }
  | Exclude<MergeResult, { kind: 'merged' } | { kind: 'up_to_date' }>;

export interface UpstreamSyncTarget {
  readonly odb: ObjectDatabase;
  readonly refs: RefStore;
  readonly packs: MergePackStore;
  readonly cachedPack?: CachedPackStore;
  /** Point a ref of this repository at the parent's commit, fetching what is missing. */
  fetch(oid: string, ref: string): Promise<FetchRefResult>;
}

export function syncRefOf(branch: string): string {
  return `refs/sync/${branch}`;
}

export async function syncFromUpstream(
  target: UpstreamSyncTarget,
  upstreamTip: string,
  request: UpstreamSyncRequest,
): Promise<UpstreamSyncResult> {
  const ref = syncRefOf(request.branch);
  const fetched = await target.fetch(upstreamTip, ref);
  if (!fetched.ok) return { kind: 'fetch_failed', reason: fetched.reason };
  try {
    const merge = (style: 'fast-forward-only' | 'merge') =>
      runMerge(
        { ...request, style, base: request.branch, head: ref, expectedHead: upstreamTip },
        target.odb,
        target.refs,
        target.packs,
        target.cachedPack,
      );
    let type: 'fast-forward' | 'merge' = 'fast-forward';
    let r = await merge('fast-forward-only');
    if (r.kind === 'not_fast_forward') {
      type = 'merge';
      r = await merge('merge');
    }
    if (r.kind === 'merged') return { kind: 'synced', type, oldTip: r.oldBase, newTip: r.newBase };
    return r;
  } finally {
    await dropRef(target.refs, ref);
  }
}
