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

/** Index lookups per batch when checking which tag refs need peeling. */
const LOOKUP_BATCH = 1000;

export async function listRefs(repo: GitRepository, prefixes?: readonly string[]): Promise<AdvertisedRefs> {
  const headTarget = await repo.refs.headTarget();
  const refs = await repo.refs.list(prefixes);
  const all = prefixes ? await repo.refs.list([headTarget]) : refs;
  const head = all.find((r) => r.name === headTarget)?.oid ?? null;
  // Stores fill `peeled` on push; a tag ref without it is either lightweight or an older row.
  // Look them all up in batches (one index query per batch, no graph walk), peel only real tags.
  const unknown = [
    ...new Set(
      refs.filter((r) => r.peeled === undefined && r.name.startsWith('refs/tags/')).map((r) => r.oid),
    ),
  ];
  const tagObjects = new Set<Oid>();
  for (let i = 0; i < unknown.length; i += LOOKUP_BATCH) {
    const entries = await repo.odb.entries(unknown.slice(i, i + LOOKUP_BATCH));
    for (const e of entries.values()) if (e.type === 'tag') tagObjects.add(e.oid);
  }
  const withPeeled: Ref[] = [];
  for (const r of refs) {
    if (r.peeled === undefined && tagObjects.has(r.oid)) {
      withPeeled.push({ ...r, peeled: (await peel(repo.odb, r.oid)).oid });
    } else withPeeled.push(r);
  }
  return { headTarget, head, refs: withPeeled };
}
