/**
 * Connectivity of a push without a history walk. While the indexer hands over each new commit,
 * tree and tag, the ids they point to are collected; afterwards every pointed-to object must be in
 * the pack or already stored. Stored objects are connected (every push and merge that stored
 * them was checked), so a pack whose references all resolve leaves the repository connected, as
 * git's `index-pack --strict` connectivity check concludes too. Objects that cannot be read
 * this way (malformed ones) make the caller fall back to a walk.
 */
import { isGitError } from '../errors';
import { parseCommitLinks } from '../object/commit';
import { parseTagTarget } from '../object/tag';
import { OidSet } from '../oid-set';
import type { ObjectType, Oid, PackStore } from '../store';

const LOOKUP_BATCH = 90;

export class PushLinks {
  private readonly targets = new OidSet();
  /** False once an object could not be read for its links: use a walk instead. */
  complete = true;

  visit(type: ObjectType, data: Uint8Array): void {
    try {
      if (type === 'commit') {
        const c = parseCommitLinks(data);
        this.targets.add(c.tree);
        for (const p of c.parents) this.targets.add(p);
      } else if (type === 'tree') {
        this.visitTree(data);
      } else if (type === 'tag') {
        this.targets.add(parseTagTarget(data).object);
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
      if (!gitlink) this.targets.addBytes(data, nul + 1);
      pos = nul + 21;
    }
  }

  /**
   * Whether `packed` is exactly the set of objects reachable from `tips`: the tips and everything
   * the pack points to are inside it, and everything in it is pointed to or a tip. The last part
   * suffices because links form no cycles: following pointers backwards from any object ends at
   * an object nothing points to, which must then be a tip.
   */
  isClosureOf(packed: OidSet, tips: readonly Oid[]): boolean {
    if (!this.complete) return false;
    for (const _ of this.targets.notIn(packed)) return false;
    const tipSet = new Set(tips);
    for (const t of tipSet) if (!packed.has(t)) return false;
    for (const oid of packed.notIn(this.targets)) if (!tipSet.has(oid)) return false;
    return true;
  }

  /**
   * The referenced objects found neither in the pack nor among stored objects (empty when the
   * push is connected).
   */
  async missing(packed: OidSet, store: PackStore): Promise<Oid[]> {
    // In id order: a store's index is sorted, so consecutive lookups read the same part of it.
    const unknown = [...this.targets.notIn(packed)].sort();
    const missing: Oid[] = [];
    for (let i = 0; i < unknown.length; i += LOOKUP_BATCH) {
      const batch = unknown.slice(i, i + LOOKUP_BATCH);
      const found = await store.lookupMany(batch);
      for (const oid of batch) if (!found.has(oid)) missing.push(oid);
    }
    return missing;
  }
}
