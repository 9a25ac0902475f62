/**
 * The repository's merge side for pull requests, called by the Durable Object's RPC methods:
 * `runMerge` merges one branch into another in a given style and, on success, stores the new
 * objects as one pack and moves the base branch with a compare-and-swap in the same storage
 * transaction that publishes the pack; `mergeability` answers whether it would merge, without
 * writing anything. Branches are named by short name (`main`), so a pull request follows them.
 */

import type { IndexedPack } from '../cached-pack/layer';
import { type Ident, identPart } from '../object/ident';
import type { ObjectDatabase } from '../odb';
import { indexPack } from '../pack/index-pack';
import { writePackFromObjects } from '../pack/write-objects';
import { type Protection, protectionCheck } from '../protect/guard';
import { PushLinks } from '../push/links';
import { publishPack } from '../push/publish';
import type { CachedPackStore, GitObject, Oid, PackStore, PackWriter, RefStore } from '../store';
import { fromReadableStream } from '../stream';
import { MergeError } from './errors';
import { CHECK_LIMITS } from './limits';
import { type MergeStyle, mergeBranches } from './merge';
import { mergeBases } from './merge-bases';

export interface MergePerson {
  readonly name: string;
  readonly email: string;
  /** Seconds since the epoch. */
  readonly time: number;
}

export interface MergeRequest {
  readonly style: MergeStyle;
  /** Branch merged into (short name). */
  readonly base: string;
  /** Branch merged (short name). */
  readonly head: string;
  /** The head commit the user saw; a branch that moved since is not merged (`stale`). */
  readonly expectedHead?: Oid;
  readonly message: string;
  readonly author: MergePerson;
  readonly committer: MergePerson;
  /** The base branch's protection, with the pull request's reviews and statuses (`merge`). */
  readonly protection?: Protection;
}

export type MergeResult =
  | {
      readonly kind: 'merged';
      readonly oldBase: Oid;
      readonly newBase: Oid;
      readonly head: Oid;
      readonly mergeBase: Oid | null;
    }
  | { readonly kind: 'conflict'; readonly paths: string[] }
  | { readonly kind: 'not_fast_forward' }
  | { readonly kind: 'up_to_date' }
  | { readonly kind: 'unrelated' }
  | { readonly kind: 'missing_branch'; readonly branch: string }
  /** Branch protection refused the merge (protect/rules.ts), in the rule's words. */
  | { readonly kind: 'declined'; readonly reason: string }
  /** A branch moved while merging, or the head is not the commit the caller expected. */
  | { readonly kind: 'stale'; readonly message: string };

export interface Mergeability extends MergeCheck {
  readonly baseSha: Oid | null;
  readonly headSha: Oid | null;
}

/** The answer for one (base commit, head commit) pair: it never changes, so it is kept. */
export interface MergeCheck {
  readonly mergeBase: Oid | null;
  /** 'missing' when either branch does not exist; 'unknown' when the check went past its bounds. */
  readonly status: 'mergeable' | 'conflict' | 'up_to_date' | 'unrelated' | 'missing' | 'unknown';
  readonly conflicts: string[];
  /** Why the status is 'unknown'. */
  readonly reason: string | null;
}

/** Where merge checks are kept, by commit pair. */
export interface MergeCheckCache {
  get(base: Oid, head: Oid): MergeCheck | null;
  put(base: Oid, head: Oid, check: MergeCheck): void;
}

/** What a merge needs of the pack store: reads, and a new quarantined pack. */
export interface MergePackStore extends PackStore {
  newPack(): PackWriter | Promise<PackWriter>;
}

/** A branch's tip; a full ref name (`refs/pull/{n}/head`, a fork's head kept here) is taken as is. */
async function branchTip(refs: RefStore, branch: string): Promise<Oid | null> {
  const name = branch.startsWith('refs/') ? branch : `refs/heads/${branch}`;
  return (await refs.list([name])).find((r) => r.name === name)?.oid ?? null;
}

function ident(p: MergePerson): Ident {
  // Cleaned here too, whoever the caller: nothing may break the commit's header lines.
  return {
    name: identPart(p.name),
    email: identPart(p.email),
    timestamp: Math.floor(p.time),
    timezone: '+0000',
  };
}

export async function runMerge(
  request: MergeRequest,
  odb: ObjectDatabase,
  refs: RefStore,
  packs: MergePackStore,
  /** The cached pack, which the merge's pack may extend. */
  cached?: CachedPackStore,
): Promise<MergeResult> {
  const base = await branchTip(refs, request.base);
  if (base === null) return { kind: 'missing_branch', branch: request.base };
  const head = await branchTip(refs, request.head);
  if (head === null) return { kind: 'missing_branch', branch: request.head };
  if (request.expectedHead !== undefined && request.expectedHead !== head) {
    return {
      kind: 'stale',
      message: `branch '${request.head}' moved to ${head} (expected ${request.expectedHead})`,
    };
  }
  const outcome = await mergeBranches(odb, {
    style: request.style,
    base,
    head,
    message: request.message,
    author: ident(request.author),
    committer: ident(request.committer),
  });
  if (outcome.kind === 'conflict') return { kind: 'conflict', paths: outcome.paths };
  if (outcome.kind !== 'merged') return { kind: outcome.kind };
  const mb = (await mergeBases(odb, base, head))[0] ?? null;
  const command = { name: `refs/heads/${request.base}`, oldOid: base, newOid: outcome.commit };
  let pack: IndexedPack | null = null;
  if (outcome.objects.length > 0) {
    const writer = await packs.newPack();
    try {
      pack = await storeObjects(outcome.objects, writer, packs, odb);
    } catch (e) {
      await writer.abort();
      throw e;
    }
  }
  // Published as a push's pack is: the merge's pack becomes a layer of the cached pack too, so
  // clones keep streaming the history as stored after pull requests are merged here.
  const check = await protectionCheck(odb, [command], request.protection);
  const [result] = await publishPack({ refs, store: packs, cachedPack: cached }, [command], pack, {
    atomic: true,
    check,
  });
  if (!result.ok && result.code === 'DECLINED') return { kind: 'declined', reason: result.reason };
  if (!result.ok)
    return { kind: 'stale', message: `branch '${request.base}' moved while merging: ${result.reason}` };
  return { kind: 'merged', oldBase: base, newBase: outcome.commit, head, mergeBase: mb };
}

/** Write new objects (a merge's, a contents write's) as one pending pack, with the links a cached-pack layer is judged by. */
export async function storeObjects(
  objects: readonly GitObject[],
  writer: PackWriter,
  packs: PackStore,
  odb: ObjectDatabase,
): Promise<IndexedPack> {
  const links = new PushLinks();
  const pack = writePackFromObjects(objects, objects.length);
  const result = await indexPack(fromReadableStream(pack), writer, packs, {
    ...odb.codecs,
    onObject: (_oid, type, data) => links.visit(type, data),
  });
  await links.addPack(result.oids);
  return {
    packId: writer.packId,
    links,
    // Merges only create objects the repository does not have (see NewObjects).
    twins: 0,
    distinct: links.packedSize === result.objectCount,
    externalBases: result.externalBases,
  };
}

/**
 * Whether `head` would merge cleanly into `base` now (a three-way merge, nothing stored but the
 * answer). Asked on every read of a pull request, so it is bounded as a diff is (limits.ts) and
 * kept per commit pair in `cache`: a pair is merged at most once.
 */
export async function mergeability(
  odb: ObjectDatabase,
  refs: RefStore,
  base: string,
  head: string,
  cache?: MergeCheckCache,
): Promise<Mergeability> {
  const baseSha = await branchTip(refs, base);
  const headSha = await branchTip(refs, head);
  if (baseSha === null || headSha === null) {
    return { baseSha, headSha, mergeBase: null, status: 'missing', conflicts: [], reason: null };
  }
  const known = cache?.get(baseSha, headSha);
  if (known) return { baseSha, headSha, ...known };
  const check = await checkMerge(odb, baseSha, headSha);
  cache?.put(baseSha, headSha, check);
  return { baseSha, headSha, ...check };
}

async function checkMerge(odb: ObjectDatabase, base: Oid, head: Oid): Promise<MergeCheck> {
  const nobody = { name: 'mergeability', email: 'mergeability@localhost', timestamp: 0, timezone: '+0000' };
  try {
    const mergeBase = (await mergeBases(odb, base, head))[0] ?? null;
    const outcome = await mergeBranches(odb, {
      style: 'merge',
      base,
      head,
      message: 'check',
      author: nobody,
      committer: nobody,
      limits: CHECK_LIMITS,
    });
    const status =
      outcome.kind === 'merged'
        ? 'mergeable'
        : outcome.kind === 'not_fast_forward'
          ? 'conflict'
          : outcome.kind;
    return { mergeBase, status, conflicts: outcome.kind === 'conflict' ? outcome.paths : [], reason: null };
  } catch (e) {
    // Past the check's bounds (or a history too long to walk): unknown, and why.
    if (e instanceof MergeError && e.code !== 'MERGE_NOT_A_COMMIT')
      return { mergeBase: null, status: 'unknown', conflicts: [], reason: e.message };
    throw e;
  }
}
