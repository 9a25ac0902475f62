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
    // The ref's peeled value is the object the chain ends at: read the tags only when it is sent.
    // A fetch of a few commits met every annotated tag of the history here, each read whole.
    if (!(await has(r.peeled))) continue;
    const p = await peel(odb, r.oid);
    for (const t of p.tags) {
      if (await has(t)) continue;
      addedSet.add(t);
      added.push(t);
    }
  }
  return added;
}
