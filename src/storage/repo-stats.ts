/** The repository object's pack and object counts, for tests and operators. */
import { SqlMergeCheckCache } from './merge-check-cache';
import { forEachDistinct } from './pack-index';
import type { RepoCore } from './repo-core';
import { importSteps } from './repo-import';
import type { RepoStats } from './repo-types';
import { spilledChunksHeld } from './spill-store';

export async function repoStats(core: RepoCore): Promise<RepoStats> {
  const packs = core.sql
    .exec<{ state: string; n: number; bytes: number }>(
      'SELECT state, COUNT(*) AS n, SUM(size) AS bytes FROM packs GROUP BY state',
    )
    .toArray();
  const live = packs.find((p) => p.state === 'live');
  let objects = 0;
  forEachDistinct(core.packs.index, core.packs.livePacks(), () => {
    objects += 1;
  });
  return {
    livePacks: live?.n ?? 0,
    retiredPacks: packs.find((p) => p.state === 'retired')?.n ?? 0,
    objects,
    bytes: live?.bytes ?? 0,
    cachedPack: (await core.cachedPackStore().get()).map((l) => ({
      packs: l.packs.length,
      objects: l.objectCount,
    })),
    mergeChecks: new SqlMergeCheckCache(core.sql).stats(),
    admission: core.admission.state(),
    packCopies: core.copies.stats(),
    alarms: core.alarms().due(),
    importSteps: importSteps(core),
    spill: { written: core.spilledChunks, held: spilledChunksHeld(core.sql) },
  };
}
