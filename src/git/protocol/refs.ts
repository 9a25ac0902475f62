/** Ref listing shared by advertisements and ls-refs: HEAD resolution and peeled tags. */
import type { Oid, Ref } from '../store';
import { peel } from '../walk/read';
import type { GitRepository } from './repository';

export interface AdvertisedRefs {
  /** Where HEAD points (it may not exist yet). */
  readonly headTarget: string;
  /** HEAD's oid, or null when the branch is unborn. */
  readonly head: Oid | null;
  /** Refs with `peeled` filled for annotated tags. */
  readonly refs: Ref[];
}

export async function listRefs(repo: GitRepository, prefixes?: readonly string[]): Promise<AdvertisedRefs> {
  const headTarget = await repo.refs.headTarget();
  const refs = await repo.refs.list(prefixes);
  const all = prefixes ? await repo.refs.list([headTarget]) : refs;
  const head = all.find((r) => r.name === headTarget)?.oid ?? null;
  const withPeeled: Ref[] = [];
  for (const r of refs) {
    // Stores fill `peeled` on push; older rows without it are peeled here.
    if (r.peeled === undefined && r.name.startsWith('refs/tags/')) {
      const info = await repo.odb.info(r.oid);
      if (info?.type === 'tag') {
        withPeeled.push({ ...r, peeled: (await peel(repo.odb, r.oid)).oid });
        continue;
      }
    }
    withPeeled.push(r);
  }
  return { headTarget, head, refs: withPeeled };
}
