/**
 * The tree part of `git rev-list --objects`: trees and blobs of the sent commits, minus
 * everything in the trees of the edge commits the client has, each object once.
 */
import { ObjectError } from '../errors';
import { IdList } from '../id-list';
import { latin1Decode } from '../object/headers';
import { TreeCursor } from '../object/tree';
import { idHexAt } from '../oid';
import { OidSet } from '../oid-set';
import { Pacer } from '../pacer';
import { lookUpRows, lookUpSorted, WriteEntries } from '../pack/write-entries';
import { sortedIdColumn } from '../pack/write-ids';
import type { Oid } from '../store';
import {
  filterDropsTreeBlobs,
  filterKeeps,
  filterNeedsBlobSize,
  type ObjectFilter,
  treeDepthLimit,
} from './filter';
import { type BatchReads, batchReadsOf, type WalkOdb } from './read';

export interface TreeWalkOptions {
  readonly filter?: ObjectFilter | null;
  /** Check that every blob exists (connectivity check of a push). */
  readonly verify?: boolean;
  /** Stop reading trees after this many (a bounded search; `treesRead` tells where it ended). */
  readonly maxTrees?: number;
  /** Trees (and blobs to look up) per batch of the level walk; tests make it small. */
  readonly levelSlice?: number;
}

/** Marks in `seen`: met by the walk; the client's; to send. */
const SEEN = 1;
const HAVE = 2;
const EMIT = 4;
const NONE: readonly Oid[] = [];

/** A tree to walk, with the client's trees at the same path. */
interface PendingTree {
  readonly oid: Oid;
  readonly depth: number;
  readonly haves: readonly Oid[];
}

export class TreeWalker {
  /**
   * Every tree and blob met, as bytes: checked for each entry of each tree without making its
   * id a string (most entries of most trees were seen before). Those to send carry `EMIT`: the
   * set is also the list of what to send (a list beside it held every sent id twice; a tree:N
   * filter may visit an object twice, and the mark keeps it from being sent twice).
   */
  private readonly seen = new OidSet();
  /** Smallest tree depth an object was visited at, when depth matters (a tree:N filter). */
  private readonly depths: Map<Oid, number> | null;
  /** Client trees already expanded (see expandHaves), by their ids. */
  private readonly expanded = new Map<string, Map<string, Oid[]>>();
  /** Root trees of the client's edge commits (see markHave). */
  private readonly haveRoots: Oid[] = [];
  /** Trees read by addTree so far. */
  treesRead = 0;
  /** The most trees the level walk held waiting at once (the slice being read among them). */
  pendingPeak = 0;
  /** A clone reads hundreds of thousands of trees, most of them from caches. */
  private readonly pacer = new Pacer();

  /**
   * The filter sends no blob met in a tree (blob:none): their entries are passed over unnoted. A
   * blobless clone met each blob's id as a string and kept it in `seen`, ~a third of that set on
   * the million-object history, for nothing.
   */
  private readonly dropsTreeBlobs: boolean;

  constructor(
    private readonly odb: WalkOdb,
    private readonly options: TreeWalkOptions = {},
  ) {
    this.depths = treeDepthLimit(options.filter ?? null) !== undefined ? new Map() : null;
    this.dropsTreeBlobs = !options.verify && filterDropsTreeBlobs(options.filter ?? null);
  }

  /**
   * Note a root tree the client has (of an edge commit). Its contents are not read now: `addTree`
   * reads it level by level alongside the trees it walks, marking as the client's what sits at
   * the same paths. git marks the edge trees whole; for a fetch of a few commits that reads
   * every tree of the project, where reading the changed paths finds the same objects (a file
   * that moved to another directory is sent again: a few bytes more, never an object too few).
   */
  markHave(tree: Oid): void {
    this.seen.add(tree, HAVE);
    if (!this.haveRoots.includes(tree)) this.haveRoots.push(tree);
  }

  /**
   * Mark the entries of the client's trees at one path as the client's; returns their subtrees
   * by name, to pair with the walked tree's subtrees one level down.
   */
  private async expandHaves(haves: readonly Oid[]): Promise<Map<string, Oid[]>> {
    // The same client trees come back with every walked tree at their path (the root tree with
    // each commit): read and mark them once. A clone on top of a cached pack walked 45,000
    // commits against one client root tree, reading it again for each.
    const key = haves.length === 1 ? haves[0] : haves.join(' ');
    const known = this.expanded.get(key);
    if (known !== undefined) return known;
    const below = new Map<string, Oid[]>();
    this.expanded.set(key, below);
    for (const h of haves) {
      const obj = await this.odb.read(h);
      // The client's side may reach objects we lack only in broken repositories; skip them.
      if (obj?.type !== 'tree') continue;
      for (const e = new TreeCursor(obj.data); e.next(); ) {
        if (e.kind === 'commit') continue;
        this.seen.addBytes(e.data, e.oidAt, HAVE);
        if (e.kind === 'tree') {
          const name = latin1Decode(e.data.subarray(e.nameStart, e.nameEnd));
          const oid = idHexAt(e.data, e.oidAt);
          const list = below.get(name);
          if (list === undefined) below.set(name, [oid]);
          else if (!list.includes(oid)) list.push(oid);
        }
      }
    }
    return below;
  }

  /** Whether the walk has met this tree or blob (sent or known to the client). */
  hasSeen(oid: Oid): boolean {
    return this.seen.has(oid);
  }

  /** Whether an entry's object needs no visit: seen already, and depth does not matter. */
  private skip(e: TreeCursor): boolean {
    return this.depths === null && this.seen.hasBytes(e.data, e.oidAt);
  }

  /** Whether the client has this tree or blob (it lies in a tree of an edge commit). */
  clientHas(oid: Oid): boolean {
    return this.seen.has(oid, HAVE);
  }

  /**
   * Walk a root tree (depth 0) of a sent commit, emitting trees and blobs not yet seen.
   * `wanted` marks a tree the client asked for by oid: like git, the filter never drops it.
   */
  async addTree(root: Oid, wanted = false): Promise<void> {
    const rootDepth = 0;
    const filter = this.options.filter ?? null;
    const treeLimit = treeDepthLimit(filter);
    const stack: PendingTree[] = [{ oid: root, depth: rootDepth, haves: this.haveRoots }];
    while (stack.length > 0) {
      const { oid, depth, haves } = stack.pop() as PendingTree;
      if (!this.firstVisit(oid, depth)) continue;
      const forced = wanted && oid === root && depth === rootDepth;
      if (treeLimit !== undefined && depth >= treeLimit && !forced) continue;
      if (this.options.maxTrees !== undefined && this.treesRead >= this.options.maxTrees) return;
      this.treesRead++;
      const pause = this.pacer.tick();
      if (pause) await pause;
      const obj = await this.odb.read(oid);
      if (!obj) throw new ObjectError('OBJECT_NOT_FOUND', `missing tree ${oid}`);
      if (obj.type !== 'tree') throw new ObjectError('INVALID_OBJECT', `${oid} is a ${obj.type}, not a tree`);
      if (forced || filterKeeps(filter, 'tree', depth, null)) this.emit(oid);
      const havesBelow = haves.length > 0 ? await this.expandHaves(haves) : null;
      const subtrees: PendingTree[] = [];
      for (const e = new TreeCursor(obj.data); e.next(); ) {
        if (e.kind === 'commit' || (e.kind === 'blob' && this.dropsTreeBlobs)) continue;
        // A seen subtree was walked (or is the client's) already: no string, no stack entry.
        if (this.skip(e)) continue;
        const oid = idHexAt(e.data, e.oidAt);
        if (e.kind === 'tree') {
          const h =
            havesBelow === null
              ? NONE
              : (havesBelow.get(latin1Decode(e.data.subarray(e.nameStart, e.nameEnd))) ?? NONE);
          subtrees.push({ oid, depth: depth + 1, haves: h });
        } else await this.addBlob(oid, depth + 1);
      }
      // Reverse so subtrees come out in tree order.
      for (let i = subtrees.length - 1; i >= 0; i--) stack.push(subtrees[i]);
    }
  }

  /**
   * Walk the root trees of sent commits, as `addTree` on each would, a level at a time: each
   * level's trees are looked up in id order (a sorted index's chunks read about once, where a
   * lookup per tree in walk order read a chunk nearly every time: 48% of the large history's
   * blobless clone) and read in stored order (pack reads in sequence, delta bases just read).
   * Blobs whose size or presence must be read (blob:limit, a connectivity check) are looked up
   * in id order in batches too. Slices of deeper levels are read first once full (`TreeLevels`),
   * so what waits stays a few slices. The order objects are met in changes, not which: a pack is
   * written in stored order anyway. A tree:N filter (depth per visit) and a bounded search walk
   * depth first.
   */
  async addTrees(roots: IdList): Promise<void> {
    const odb = batchReadsOf(this.odb);
    if (odb === null || this.depths !== null || this.options.maxTrees !== undefined) {
      for (let i = 0; i < roots.length; i++) await this.addTree(roots.at(i));
      return;
    }
    const filter = this.options.filter ?? null;
    const sized = this.options.verify || filterNeedsBlobSize(filter);
    const slice = this.options.levelSlice ?? LEVEL_SLICE;
    const blobs = new IdList();
    const levels = new TreeLevels(slice);
    const root = new Uint8Array(20);
    let fed = 0;
    /** The root trees join level 0 a slice at a time (a clone of the million-object history has 125,000). */
    const feedRoots = () => {
      for (; fed < roots.length && !levels.hasFullSlice(0); fed++) {
        roots.bytesInto(fed, root, 0);
        if (this.seen.addBytes(root, 0, SEEN) === 0) levels.add(0, root, 0, this.haveRoots);
      }
    };
    feedRoots();
    for (let next = levels.next(); next !== null; feedRoots(), next = levels.next()) {
      this.pendingPeak = Math.max(this.pendingPeak, levels.size + next.ids.length);
      const { depth, ids, haves } = next;
      const table = new WriteEntries(sortedIdColumn(ids, true));
      await lookUpRows(table, odb);
      for (const row of table.storedOrder()) {
        const pause = this.pacer.tick();
        if (pause) await pause;
        const e = table.entry(row);
        if (e.type !== 'tree') throw new ObjectError('INVALID_OBJECT', `${e.oid} is a ${e.type}, not a tree`);
        this.treesRead++;
        const data = await odb.readEntryData(e);
        if (filterKeeps(filter, 'tree', depth, null)) this.emit(e.oid);
        const h = haves.get(e.oid);
        const havesBelow = h === undefined ? null : await this.expandHaves(h);
        for (const c = new TreeCursor(data); c.next(); ) {
          if (c.kind === 'commit' || (c.kind === 'blob' && this.dropsTreeBlobs)) continue;
          // Met before (walked, or the client's): nothing to do, and no string made.
          if (this.seen.addBytes(c.data, c.oidAt, SEEN) !== 0) continue;
          if (c.kind === 'tree') {
            const h =
              havesBelow === null
                ? NONE
                : (havesBelow.get(latin1Decode(c.data.subarray(c.nameStart, c.nameEnd))) ?? NONE);
            levels.add(depth + 1, c.data, c.oidAt, h);
          } else if (sized) {
            blobs.pushBytes(c.data, c.oidAt);
            if (blobs.length >= slice) await this.addSizedBlobs(blobs, odb);
          } else if (filterKeeps(filter, 'blob', depth + 1, null)) this.seen.addBytes(c.data, c.oidAt, EMIT);
        }
      }
    }
    if (blobs.length > 0) await this.addSizedBlobs(blobs, odb);
  }

  /**
   * Blobs met in trees whose stored size decides (blob:limit) or that must exist (a connectivity
   * check), looked up together in id order; `blobs` is empty after.
   */
  private async addSizedBlobs(blobs: IdList, odb: BatchReads): Promise<void> {
    const filter = this.options.filter ?? null;
    const ids = sortedIdColumn(blobs, true);
    await lookUpSorted(ids, odb, (row, e) => {
      if (e.type !== 'blob') throw new ObjectError('INVALID_OBJECT', `${e.oid} is a ${e.type}, not a blob`);
      // Depth decides only under tree:N, which walks depth first.
      if (filterKeeps(filter, 'blob', 1, e.size)) this.seen.addBytes(ids, row * 20, EMIT);
    });
  }

  /** A blob found in a tree, or named directly (`wanted`: by a want or a tag; never filtered). */
  async addBlob(oid: Oid, depth = 0, wanted = false): Promise<void> {
    if (!this.firstVisit(oid, depth)) return;
    const filter = this.options.filter ?? null;
    let size: number | null = null;
    if (this.options.verify || filterNeedsBlobSize(filter)) {
      const info = await this.odb.info(oid);
      if (!info) throw new ObjectError('OBJECT_NOT_FOUND', `missing blob ${oid}`);
      if (info.type !== 'blob')
        throw new ObjectError('INVALID_OBJECT', `${oid} is a ${info.type}, not a blob`);
      size = info.size;
    }
    if (wanted || filterKeeps(filter, 'blob', depth, size)) this.emit(oid);
  }

  private emit(oid: Oid): void {
    this.seen.add(oid, EMIT);
  }

  /**
   * Hand the trees and blobs to send to `into`, in the order they were first met; the walker is
   * spent after (its set of everything seen is let go as the ids are copied).
   */
  takeObjects(into: IdList): void {
    this.seen.drainMarked(EMIT, (bytes, at) => into.pushBytes(bytes, at));
  }

  /** The trees and blobs known to be the client's (what `clientHas` answers), as a set of their own. */
  clientObjects(): Set<Oid> {
    return new Set(this.seen.marked(HAVE));
  }

  /** True the first time an object is met at this depth or shallower (depth matters for tree:N). */
  private firstVisit(oid: Oid, depth: number): boolean {
    const marks = this.seen.add(oid, SEEN);
    if ((marks & HAVE) !== 0) return false;
    if (this.depths === null) return marks === 0;
    const prev = this.depths.get(oid);
    if (prev !== undefined && prev <= depth) return false;
    this.depths.set(oid, depth);
    return true;
  }
}

/** Trees per lookup batch of a level: ~3 MiB of table and base names at most (65,536 measured no faster). */
const LEVEL_SLICE = 32_768;

/** A slice of one level's trees to look up together, with the client's trees at their paths (few). */
interface LevelSlice {
  readonly depth: number;
  readonly ids: IdList;
  readonly haves: Map<Oid, readonly Oid[]>;
}

/**
 * The trees waiting to be read, by depth, in slices. The next slice is the deepest full one, else
 * the shallowest: so a level is read in full slices where it can be, and no level holds more than
 * a slice and what one slice above it added. Read level by level, the million-object history's
 * widest level held 325,000 trees (6.5 MiB) waiting at once.
 */
class TreeLevels {
  private readonly levels: LevelSlice[][] = [];
  /** Trees waiting, in all levels. */
  size = 0;

  constructor(private readonly slice: number) {}

  /** Add the tree whose id is at `bytes[at .. at + 20]`, with the client's trees at its path. */
  add(depth: number, bytes: Uint8Array, at: number, haves: readonly Oid[]): void {
    while (this.levels.length <= depth) this.levels.push([]);
    const level = this.levels[depth];
    let last = level.at(-1);
    if (last === undefined || last.ids.length >= this.slice) {
      last = { depth, ids: new IdList(), haves: new Map() };
      level.push(last);
    }
    last.ids.pushBytes(bytes, at);
    if (haves.length > 0) last.haves.set(idHexAt(bytes, at), haves);
    this.size++;
  }

  /** Whether a slice of `depth` is full (slices fill in order: the first is). */
  hasFullSlice(depth: number): boolean {
    return (this.levels[depth]?.[0]?.ids.length ?? 0) >= this.slice;
  }

  /** The next slice to read, taken out (null: none left). */
  next(): LevelSlice | null {
    let from = -1;
    for (let d = this.levels.length - 1; d >= 0 && from < 0; d--) if (this.hasFullSlice(d)) from = d;
    for (let d = 0; d < this.levels.length && from < 0; d++) if (this.levels[d].length > 0) from = d;
    if (from < 0) return null;
    const taken = this.levels[from].shift() as LevelSlice;
    this.size -= taken.ids.length;
    return taken;
  }
}
