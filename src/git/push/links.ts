/**
 * Connectivity of a push without a history walk. While the indexer hands over each new commit,
 * tree and tag, the ids they point to are collected; afterwards every pointed-to object must be in
 * the pack or already stored. Stored objects are connected (every push and merge that stored
 * them was checked), so a pack whose references all resolve leaves the repository connected, as
 * git's `index-pack --strict` connectivity check concludes too. Objects that cannot be read
 * this way (malformed ones) make the caller fall back to a walk.
 *
 * The pack's own ids go into the same set with another mark: nearly every object of a push is
 * pointed to by another, so one set of both costs half of two (21 MiB for 411,000 objects). Given
 * a spill store, the set holds a bounded number of ids in memory and the rest in sorted runs
 * there (see `IdMarks`), so its memory no longer grows with the push.
 */
import { asyncBatches } from '../batches';
import { isGitError } from '../errors';
import { parseCommitLinks } from '../object/commit';
import { parseTagTarget } from '../object/tag';
import type { PackIds } from '../pack/index-pack';
import { IdMarks } from '../spill/id-marks';
import type { SpillStore } from '../spill/spill-store';
import type { ObjectType, Oid, PackStore } from '../store';

const LOOKUP_BATCH = 90;
/** New tips checked against the set between two pauses: a check reads a chunk once it spilled. */
export const TIPS_STEP = 32;
/** Marks in the id set: pointed to by an object of the pack; an object of the pack. */
const LINKED = 1;
const PACKED = 2;

export interface OutsideObjects {
  readonly missing: readonly Oid[];
  readonly packs: ReadonlySet<number>;
}

/** Where the id set may spill, and past how many distinct ids in memory. */
export interface LinksSpill {
  readonly store: SpillStore;
  readonly limit?: number;
}

export class PushLinks {
  private readonly ids: IdMarks;
  private packedCount = 0;
  private found: { readonly store: PackStore; readonly outside: Promise<OutsideObjects> } | undefined;
  /** False once an object could not be read for its links: use a walk instead. */
  complete = true;

  constructor(spill?: LinksSpill) {
    this.ids = new IdMarks(spill?.store, spill?.limit);
  }

  /** Record an object of the pack, given as its 20 bytes at `at`. */
  addPacked(bytes: Uint8Array, at = 0): void {
    if ((this.ids.addBytes(bytes, at, PACKED) & PACKED) === 0) this.packedCount++;
  }

  /** How many distinct objects the pack brought. */
  get packedSize(): number {
    // Ids spilled earlier look new to the table in memory: the merged runs count them once.
    return this.ids.spilled ? this.ids.count(PACKED) : this.packedCount;
  }

  /** Whether the ids went past memory into the spill store. */
  get spilled(): boolean {
    return this.ids.spilled;
  }

  /** Let go of what was spilled (once the push is done with its links). */
  dispose(): void {
    this.ids.dispose();
  }

  isPacked(oid: Oid): boolean {
    return this.ids.has(oid, PACKED);
  }

  /** The pack's objects. */
  packed(): Iterable<Oid> {
    return this.ids.marked(PACKED);
  }

  visit(type: ObjectType, data: Uint8Array): void {
    try {
      if (type === 'commit') {
        const c = parseCommitLinks(data);
        this.ids.add(c.tree, LINKED);
        for (const p of c.parents) this.ids.add(p, LINKED);
      } else if (type === 'tree') {
        this.visitTree(data);
      } else if (type === 'tag') {
        this.ids.add(parseTagTarget(data).object, LINKED);
      }
    } catch (e) {
      if (!isGitError(e)) throw e;
      this.complete = false;
    }
  }

  /** Tree entries without allocating names: "<mode> <name>\0<20-byte id>". Submodules are skipped. */
  private visitTree(data: Uint8Array): void {
    let pos = 0;
    while (pos < data.length) {
      const nul = data.indexOf(0, pos);
      if (nul < 0 || nul + 21 > data.length) {
        this.complete = false;
        return;
      }
      // Mode 160000 (a gitlink) names a commit of another repository.
      const gitlink = data[pos] === 0x31 && data[pos + 1] === 0x36 && data[pos + 6] === 0x20;
      if (!gitlink) this.ids.addBytes(data, nul + 1, LINKED);
      pos = nul + 21;
    }
  }

  /** Whether an object of the pack points to `oid`. */
  isLinked(oid: Oid): boolean {
    return this.ids.has(oid, LINKED);
  }

  /**
   * Whether every object of the pack is reachable from `tips`: every object nothing in the pack
   * points to is a tip. That suffices because links form no cycles: following pointers backwards
   * from any object ends at an object nothing points to.
   */
  async rootsAmong(tips: ReadonlySet<Oid>): Promise<boolean> {
    if (!this.complete) return false;
    for await (const oid of this.ids.markedPaced(PACKED, LINKED)) if (!tips.has(oid)) return false;
    return true;
  }

  /** The ids objects of the pack point to that the pack does not hold. */
  outsideIds(): AsyncIterable<Oid> {
    return this.ids.markedPaced(LINKED, PACKED);
  }

  /**
   * Record every object of the indexed pack (its ids as the indexer holds them), then merge what
   * the id set spilled, handing the thread over as both go: without it the set's first question
   * would merge it in one piece.
   */
  async addPack(ids: PackIds): Promise<void> {
    await ids.forEachBytes((bytes, at) => this.addPacked(bytes, at));
    await this.ids.seal();
  }

  /**
   * The objects pointed to from outside the pack: those found neither in the pack nor among stored
   * objects (none when the push is connected), and the stored packs holding the others. Looked up
   * once per store, when first asked, after the pack is complete.
   */
  outside(store: PackStore): Promise<OutsideObjects> {
    // Asked by the connectivity check and again by the cached pack's layer: looked up once.
    if (this.found?.store !== store) this.found = { store, outside: this.lookUpOutside(store) };
    return this.found.outside;
  }

  private async lookUpOutside(store: PackStore): Promise<OutsideObjects> {
    // The set lists ids nearly in id order, as a store's sorted index is best read.
    const missing: Oid[] = [];
    const packs = new Set<number>();
    for await (const batch of asyncBatches(this.outsideIds(), LOOKUP_BATCH)) {
      const found = await store.lookupMany(batch);
      for (const oid of batch) {
        const entry = found.get(oid);
        if (entry === undefined) missing.push(oid);
        else packs.add(entry.packId);
      }
    }
    return { missing, packs };
  }
}
