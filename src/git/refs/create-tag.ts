/**
 * Creating a lightweight tag at a branch, tag or commit (a release whose tag does not exist yet):
 * a single create command through the store's update, so the planner's rules (valid name, must
 * not exist, no name conflict) apply exactly as to a push.
 */
import { BrowseError } from '../browse/errors';
import { type BrowseOdb, peelToCommit } from '../browse/objects';
import { resolveCommitish } from '../browse/resolve-ref';
import type { Oid, RefStore } from '../store';
import { ZERO_OID } from '../store';

export type CreateTagResult =
  | { readonly kind: 'created'; readonly commit: Oid }
  /** The tag was there already (nothing changed); `commit` is what it points to. */
  | { readonly kind: 'exists'; readonly commit: Oid | null }
  /** `target` names no branch, tag or commit (or the repository is empty). */
  | { readonly kind: 'target_not_found'; readonly message: string }
  /** The ref rules refused the name (invalid, or a file/directory conflict with another ref). */
  | { readonly kind: 'refused'; readonly reason: string };

/** `tag` is the short name (`v1.0`); `target` a branch, tag or commit id, '' for HEAD's branch. */
export async function createTag(
  odb: BrowseOdb,
  refs: RefStore,
  tag: string,
  target: string,
): Promise<CreateTagResult> {
  const name = `refs/tags/${tag}`;
  const existing = (await refs.list([name])).find((r) => r.name === name);
  if (existing) return { kind: 'exists', commit: await peelToCommit(odb, existing.peeled ?? existing.oid) };
  const all = await refs.list();
  const from = target === '' ? (await refs.headTarget()).replace(/^refs\/heads\//, '') : target;
  let commit: Oid;
  try {
    commit = (await resolveCommitish(odb, all, from)).commit;
  } catch (e) {
    if (e instanceof BrowseError) return { kind: 'target_not_found', message: e.message };
    throw e;
  }
  const [result] = await refs.update([{ name, oldOid: ZERO_OID, newOid: commit }], { atomic: true });
  if (result.ok) return { kind: 'created', commit };
  // Created meanwhile by someone else: it exists, which is what the caller wanted.
  if (result.code === 'ALREADY_EXISTS') return { kind: 'exists', commit: null };
  return { kind: 'refused', reason: result.reason };
}
