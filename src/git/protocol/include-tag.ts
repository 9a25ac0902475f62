/** include-tag: annotated tags that come along when the object they finally name is sent. */
import type { Oid, Ref } from '../store';
import { peel, type WalkOdb } from '../walk/read';

/**
 * The tag objects of the refs whose final object is in the pack and which are not, in ref
 * order, each once. `inPack` says what the pack holds without them.
 */
export async function tagsToInclude(
  odb: WalkOdb,
  refs: readonly Ref[],
  inPack: (oid: Oid) => boolean | Promise<boolean>,
): Promise<Oid[]> {
  const added: Oid[] = [];
  const addedSet = new Set<Oid>();
  const has = async (oid: Oid): Promise<boolean> => addedSet.has(oid) || (await inPack(oid));
  for (const r of refs) {
    if (!r.name.startsWith('refs/tags/') || r.peeled === undefined || (await has(r.oid))) continue;
    const p = await peel(odb, r.oid);
    if (!(await has(p.oid))) continue;
    for (const t of p.tags) {
      if (await has(t)) continue;
      addedSet.add(t);
      added.push(t);
    }
  }
  return added;
}
