/**
 * upload-pack's sending half, shared by protocol v0 and v2: check the wants, walk the objects,
 * add tags (include-tag), then stream the pack on side-band 1 with progress on band 2.
 */

import { cachedPackEntries, cachedPackFile, cachedPackFor, servedAsStored } from '../cached-pack/clone';
import { GitError } from '../errors';
import { IdList } from '../id-list';
import type { ObjectDatabase } from '../odb';
import { idMembership, type WriteIds } from '../pack/write-ids';
import { type WriteProgress, writePack } from '../pack/write-pack';
import { encodeSideband, SIDEBAND_64K_PAYLOAD } from '../pktline';
import type { CachedPack, Oid, Ref } from '../store';
import { fromReadableStream } from '../stream';
import { walkCommits } from '../walk/commits';
import type { ObjectFilter } from '../walk/filter';
import { TreeWalker } from '../walk/objects';
import { reachableObjects, type WalkAnswer, walkAnswer } from '../walk/reachable';
import { peel } from '../walk/read';
import type { RevListDeepen } from '../walk/shallow-rev-list';
import { ProtocolError } from './errors';
import { tagsToInclude } from './include-tag';
import type { GitRepository } from './repository';

export interface FetchRequest {
  readonly wants: readonly Oid[];
  /** Haves we have too (the common ones). */
  readonly haves: readonly Oid[];
  readonly clientShallow: readonly Oid[];
  /** 0 for a full fetch. */
  readonly depth: number;
  readonly deepenRelative: boolean;
  /** deepen-since / deepen-not, resolved (undefined when not asked). */
  readonly deepenBy?: RevListDeepen;
  readonly filter: ObjectFilter | null;
  readonly thinPack: boolean;
  readonly ofsDelta: boolean;
  readonly includeTag: boolean;
  readonly noProgress: boolean;
}

export interface PackPlan {
  readonly reachable: WalkAnswer;
  /** Commits, then trees and blobs, then include-tag's tags; a walk's as 20-byte ids. */
  readonly oids: WriteIds;
  /** Set when the answer starts with the cached pack; `oids` are then the objects after it. */
  readonly cached?: CachedPack;
}

/**
 * Every want must be a ref tip (or a peeled tip) or a commit reachable from one
 * (allow-reachable-sha1-in-want), so that no unreferenced object is ever served.
 */
export async function checkWants(
  odb: ObjectDatabase,
  wants: readonly Oid[],
  refs: readonly Ref[],
): Promise<void> {
  const tips = new Set<Oid>();
  for (const r of refs) {
    tips.add(r.oid);
    if (r.peeled) tips.add(r.peeled);
  }
  const others = [...new Set(wants)].filter((w) => !tips.has(w));
  if (others.length === 0) return;
  const commits: Oid[] = [];
  const objects: Oid[] = [];
  for (const w of others) {
    const info = await odb.info(w);
    if (info === null) throw new ProtocolError(`upload-pack: not our ref ${w}`, 'NOT_OUR_REF');
    (info.type === 'commit' ? commits : objects).push(w);
  }
  const tipCommits: Oid[] = [];
  for (const t of tips) {
    const p = await peel(odb, t);
    if (p.type === 'commit') tipCommits.push(p.oid);
  }
  if (commits.length > 0) {
    // Anything the tips reach is uninteresting; a want left over is not reachable.
    const walk = await walkCommits(odb, commits, tipCommits);
    if (walk.commits.length > 0)
      throw new ProtocolError(`upload-pack: not our ref ${walk.commits[0]}`, 'NOT_OUR_REF');
  }
  if (objects.length > 0) await checkObjectWants(odb, objects, tipCommits);
}

/**
 * How many trees a search for wanted trees and blobs may read before refusing. A lazy fetch of
 * a partial clone asks for objects of recent commits, found in the first few trees; without a
 * bound, a want of an unreachable object would read every tree of the history.
 */
export const OBJECT_WANT_TREE_BUDGET = 20_000;

/**
 * Trees and blobs asked for by oid (a partial clone fetching what it left out): search the
 * trees of the history, newest commit first, until every one is found or the budget is spent.
 */
async function checkObjectWants(
  odb: ObjectDatabase,
  objects: readonly Oid[],
  tipCommits: readonly Oid[],
): Promise<void> {
  const { sentTrees } = await walkCommits(odb, tipCommits, []);
  const walker = new TreeWalker(odb, { maxTrees: OBJECT_WANT_TREE_BUDGET });
  let missing = objects.filter((o) => !walker.hasSeen(o));
  for (let i = 0; i < sentTrees.length; i++) {
    if (walker.treesRead >= OBJECT_WANT_TREE_BUDGET) break;
    await walker.addTree(sentTrees.at(i));
    missing = missing.filter((o) => !walker.hasSeen(o));
    if (missing.length === 0) return;
  }
  throw new ProtocolError(`upload-pack: not our ref ${missing[0]}`, 'NOT_OUR_REF');
}

/**
 * Waits for room to answer `req` (see GitRepository.admit): a clone the stored cached pack answers
 * takes a small share, anything that walks a large one. The result gives the room back.
 */
export async function admitFetch(repo: GitRepository, req: FetchRequest): Promise<() => void> {
  if (repo.admit === undefined) return () => undefined;
  return repo.admit((await servedAsStored(repo, req)) ? 'clone' : 'walk');
}

export async function planPack(
  repo: GitRepository,
  req: FetchRequest,
  refs: readonly Ref[],
): Promise<PackPlan> {
  const plan = await walkPlan(repo, req, refs);
  // What the walk inflated (trees, commits) is not what writing reads, which copies stored bytes:
  // its cache (32 MiB by default) would sit beside the table of every object the pack is written from.
  repo.odb.dropCache();
  return plan;
}

async function walkPlan(repo: GitRepository, req: FetchRequest, refs: readonly Ref[]): Promise<PackPlan> {
  const fromCache = await cachedPackFor(repo, req, refs);
  if (fromCache !== null) {
    return { reachable: fromCache.reachable, oids: fromCache.extra, cached: fromCache.cached };
  }
  const reachable = await reachableObjects(req.wants, req.haves, repo.odb, {
    depth: req.depth > 0 ? req.depth : undefined,
    deepenRelative: req.deepenRelative,
    deepenBy: req.deepenBy,
    clientShallow: req.clientShallow,
    filter: req.filter,
  });
  // As 20-byte ids: a hex string per object again cost ~60 bytes each on a big clone. The walk's
  // list is emptied as it is copied, so that the two are not held whole at once.
  const oids = new IdList();
  reachable.commits.drain((bytes, at) => oids.pushBytes(bytes, at));
  reachable.objects.drain((bytes, at) => oids.pushBytes(bytes, at));
  if (req.includeTag) {
    // Its sorted copy is let go before writing.
    const tags = await tagsToInclude(repo.odb, refs, idMembership(oids));
    for (const t of tags) oids.push(t);
  }
  return { reachable: walkAnswer(reachable), oids };
}

/** Side-band packets of the pack (band 1) and progress (band 2). No closing flush. */
export async function* sidebandPack(
  repo: GitRepository,
  plan: PackPlan,
  req: FetchRequest,
  maxPayload: number = SIDEBAND_64K_PAYLOAD,
): AsyncGenerator<Uint8Array> {
  const progress = !req.noProgress;
  const reused = plan.cached?.objectCount ?? 0;
  const total = plan.oids.length + reused;
  if (progress) {
    yield* encodeSideband(2, `Enumerating objects: ${total}, done.\n`, maxPayload);
    yield* encodeSideband(2, `Counting objects: 100% (${total}/${total}), done.\n`, maxPayload);
  }
  // Counted while writing (a pass of its own looked every object up once more).
  let deltas = 0;
  let pendingProgress: string | null = null;
  let lastPercent = -1;
  const bytes = packBytes(repo, plan, req, (p) => {
    deltas = p.deltas;
    if (!progress || p.total === 0) return;
    const percent = Math.floor((p.done * 100) / p.total);
    if (percent === lastPercent) return;
    lastPercent = percent;
    pendingProgress = `Writing objects: ${percent}% (${p.done}/${p.total})${p.done === p.total ? ', done.\n' : '\r'}`;
  });
  try {
    for await (const chunk of bytes) {
      if (pendingProgress !== null) {
        yield* encodeSideband(2, pendingProgress, maxPayload);
        pendingProgress = null;
      }
      yield* encodeSideband(1, chunk, maxPayload);
    }
  } catch (e) {
    yield* abortPack(e, maxPayload);
  }
  if (progress) {
    if (pendingProgress !== null) yield* encodeSideband(2, pendingProgress, maxPayload);
    yield* encodeSideband(
      2,
      `Total ${total} (delta ${deltas}), reused ${deltas} (delta ${deltas}), pack-reused ${reused}\n`,
      maxPayload,
    );
  }
}

/**
 * The pack's bytes: the cached pack's file as stored when it is the whole answer; else written
 * from the plan's objects, after the cached pack's entries when there is one.
 */
function packBytes(
  repo: GitRepository,
  plan: PackPlan,
  req: FetchRequest,
  onProgress?: (p: WriteProgress) => void,
): AsyncIterable<Uint8Array> {
  const cached = plan.cached;
  if (cached !== undefined && plan.oids.length === 0 && cached.packs.length === 1)
    return cachedPackFile(repo.odb.store, cached);
  const stream = writePack(plan.oids, repo.odb, {
    ofsDelta: req.ofsDelta,
    clientHas: deltaBases(plan, req),
    onProgress,
    // The plan's list is only counted before writing (see sidebandPack).
    consumeIds: true,
    prefix:
      cached === undefined
        ? undefined
        : { count: cached.objectCount, entries: cachedPackEntries(repo.odb.store, cached) },
  });
  return fromReadableStream(stream);
}

/**
 * Objects outside the written ones that deltas may name as bases: the client's (thin pack), or
 * the cached pack's, which travel in the same pack.
 */
function deltaBases(plan: PackPlan, req: FetchRequest): ((oid: Oid) => boolean) | undefined {
  return req.thinPack || plan.cached !== undefined ? (oid: Oid) => plan.reachable.clientHas(oid) : undefined;
}

/** The pack has started: the only way to tell the client is band 3, which aborts it. */
async function* abortPack(e: unknown, maxPayload: number): AsyncGenerator<Uint8Array, never> {
  const message = e instanceof Error ? e.message : String(e);
  yield* encodeSideband(3, `upload-pack: ${message}\n`, maxPayload);
  throw new PackStreamAborted(message, e);
}

/** Raised after a band-3 error was already sent, so callers end the response quietly. */
export class PackStreamAborted extends GitError {
  constructor(message: string, cause: unknown) {
    super('PACK_STREAM_ABORTED', message, { cause });
    this.name = 'PackStreamAborted';
  }
}

/** The pack without side-band (clients that did not ask for it). */
export async function* plainPack(
  repo: GitRepository,
  plan: PackPlan,
  req: FetchRequest,
): AsyncGenerator<Uint8Array> {
  yield* packBytes(repo, plan, req);
}
