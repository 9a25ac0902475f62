/** Ref listing shared by advertisements and ls-refs: HEAD resolution and peeled tags. */
import type { ObjectType, Oid, Ref } from '../store';
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
  // Stores mark tags on push (`peeled`, `notTag`); a tag ref with neither is an older row or one
  // written another way. Look those up in batches (one index query per batch, no graph walk), peel
  // only real tags, and tell the store, so that a listing looks each ref up once, not per request.
  const unknown = [...new Set(refs.filter((r) => needsLookup(r)).map((r) => r.oid))];
  if (unknown.length === 0) return { headTarget, head, refs };
  const types = new Map<Oid, ObjectType>();
  for (let i = 0; i < unknown.length; i += LOOKUP_BATCH) {
    const entries = await repo.odb.entries(unknown.slice(i, i + LOOKUP_BATCH));
    for (const e of entries.values()) types.set(e.oid, e.type);
  }
  const withPeeled: Ref[] = [];
  const found: Ref[] = [];
  for (const r of refs) {
    const type = needsLookup(r) ? types.get(r.oid) : undefined;
    if (type === undefined) {
      withPeeled.push(r);
      continue;
    }
    const known =
      type === 'tag' ? { ...r, peeled: (await peel(repo.odb, r.oid)).oid } : { ...r, notTag: true };
    found.push(known);
    withPeeled.push(known);
  }
  await repo.refs.rememberPeeled?.(found);
  return { headTarget, head, refs: withPeeled };
}

function needsLookup(r: Ref): boolean {
  return r.peeled === undefined && r.notTag !== true && r.name.startsWith('refs/tags/');
}
