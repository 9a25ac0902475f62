/**
 * The last step of a push and of a pull-request merge: publish an indexed (quarantined) pack and
 * its ref updates in one compare-and-swap transaction, then, when the pack holds exactly what its
 * new tips add, record it as the cached pack's next layer, so clones keep streaming the history
 * as stored.
 */
import { extendCachedPack, type IndexedPack, packsOutside } from '../cached-pack/layer';
import type { RefCheck } from '../protect/guard';
import type { CachedPackStore, PackStore, RefCommand, RefCommandResult, RefStore } from '../store';
import { ZERO_OID } from '../store';

export interface PublishTarget {
  readonly refs: RefStore;
  /** Published objects: where what the pack points to is looked up. */
  readonly store: PackStore;
  readonly cachedPack?: CachedPackStore;
}

/** Applies `commands` publishing `pack` (null: no pack); returns each command's result. */
export async function publishPack(
  target: PublishTarget,
  commands: readonly RefCommand[],
  pack: IndexedPack | null,
  options: { readonly atomic: boolean; readonly check?: RefCheck },
): Promise<RefCommandResult[]> {
  const results = await target.refs.update(commands, {
    atomic: options.atomic,
    publishPackId: pack?.packId,
    check: options.check,
  });
  if (pack === null || target.cachedPack === undefined) return results;
  const set = new Set(results.filter((r) => r.ok).map((r) => r.name));
  const tips = commands.filter((c) => c.newOid !== ZERO_OID && set.has(c.name)).map((c) => c.newOid);
  if (tips.length === 0) return results;
  const outsidePacks = await packsOutside(pack, target.store, tips);
  if (outsidePacks !== null)
    await extendCachedPack(target.cachedPack, target.store, { ...pack, outsidePacks }, tips);
  return results;
}
