/**
 * The compare page across repositories (`base...forkowner:branch`): the fork's branch tip is
 * fetched into this repository under a ref of its own (`refs/compare/{nonce}`, hidden from pushes
 * and fetches), compared with the base branch and checked for mergeability as a pull request's
 * head would be, then the ref is dropped. The fetched objects stay until compaction, so opening
 * the pull request right after finds them here and fetches nothing.
 */
import type { BrowseRequest, BrowseResult } from '../git/browse/request';
import type { Mergeability } from '../git/merge/merge-refs';
import type { RefStore } from '../git/store';
import { ZERO_OID } from '../git/store';
import type { FetchRefResult } from './pull-head';

/** Refs only the server's own work moves, seen by no fetch and no push. */
export const COMPARE_REF_PREFIX = 'refs/compare/';

export type ForkCompareResult =
  | {
      readonly kind: 'compared';
      readonly compare: Extract<BrowseResult, { kind: 'compare' }>;
      readonly mergeability: Mergeability;
    }
  | { readonly kind: 'error'; readonly message: string };

export interface ForkCompareTarget {
  readonly refs: RefStore;
  /** Point a ref of this repository at the fork's commit, fetching what is missing. */
  fetch(oid: string, ref: string): Promise<FetchRefResult>;
  browse(request: BrowseRequest): Promise<BrowseResult>;
  mergeability(base: string, head: string): Promise<Mergeability>;
}

export async function compareWithFork(
  target: ForkCompareTarget,
  headTip: string,
  base: string,
): Promise<ForkCompareResult> {
  // One ref per comparison: two viewers of the same branch never race on one ref.
  const ref = `${COMPARE_REF_PREFIX}${crypto.randomUUID()}`;
  const fetched = await target.fetch(headTip, ref);
  if (!fetched.ok) return { kind: 'error', message: `could not fetch the head branch: ${fetched.reason}` };
  try {
    const compare = await target.browse({ kind: 'compare', base, head: headTip });
    if (compare.kind === 'error') return { kind: 'error', message: compare.message };
    if (compare.kind !== 'compare') return { kind: 'error', message: `unexpected ${compare.kind}` };
    return { kind: 'compared', compare, mergeability: await target.mergeability(base, ref) };
  } finally {
    await dropRef(target.refs, ref);
  }
}

/** Remove a ref of the server's own (a comparison's, a sync's) if it is there. */
export async function dropRef(refs: RefStore, ref: string): Promise<void> {
  const current = (await refs.list([ref])).find((r) => r.name === ref);
  if (current) await refs.update([{ name: ref, oldOid: current.oid, newOid: ZERO_OID }], { atomic: true });
}
