/**
 * Resolving the `{ref}/{path}` part of a URL. A ref may contain `/`, so the longest branch or
 * tag name that is a prefix of the segments wins (branches before tags at equal length, as
 * GitHub does), then a full or abbreviated commit id.
 */
import type { Oid, Ref } from '../store';
import { BrowseError } from './errors';
import { type BrowseOdb, peelToCommit } from './objects';
import { walkByDate } from './walk-order';

export type RefKind = 'branch' | 'tag' | 'commit';

export interface ResolvedRef {
  /** The short name as typed (branch or tag name, or the commit id given). */
  readonly name: string;
  readonly kind: RefKind;
  readonly commit: Oid;
  /** What is left of the segments after the ref: a path, possibly ''. */
  readonly path: string;
}

/** Commits searched for an abbreviated id (there is no prefix index in the store). */
const ABBREV_SEARCH_LIMIT = 20_000;

export function shortRefName(name: string): { kind: 'branch' | 'tag'; short: string } | null {
  if (name.startsWith('refs/heads/')) return { kind: 'branch', short: name.slice(11) };
  if (name.startsWith('refs/tags/')) return { kind: 'tag', short: name.slice(10) };
  return null;
}

/** Resolve `refAndPath` (e.g. `feature/x/src/main.c`) against the refs and the object store. */
export async function resolveRefPath(
  odb: BrowseOdb,
  refs: readonly Ref[],
  refAndPath: string,
): Promise<ResolvedRef> {
  const segments = refAndPath.replace(/^\/+/, '').split('/');
  for (let n = segments.length; n >= 1; n--) {
    const name = segments.slice(0, n).join('/');
    for (const prefix of ['refs/heads/', 'refs/tags/'] as const) {
      const ref = refs.find((r) => r.name === prefix + name);
      if (!ref) continue;
      const commit = await peelToCommit(odb, ref.peeled ?? ref.oid);
      if (commit === null) continue;
      const kind = prefix === 'refs/heads/' ? 'branch' : 'tag';
      return { name, kind, commit, path: segments.slice(n).join('/') };
    }
  }
  const first = segments[0] ?? '';
  const commit = await resolveCommitId(odb, refs, first);
  if (commit === null) throw new BrowseError('REF_NOT_FOUND', `no branch, tag or commit '${first}'`);
  return { name: first, kind: 'commit', commit, path: segments.slice(1).join('/') };
}

/** A full or abbreviated (at least 4 hex digits) commit id reachable from a ref, or null. */
export async function resolveCommitId(odb: BrowseOdb, refs: readonly Ref[], id: string): Promise<Oid | null> {
  const hex = id.toLowerCase();
  if (!/^[0-9a-f]{4,40}$/.test(hex)) return null;
  if (hex.length === 40) {
    const info = await odb.info(hex);
    if (!info) return null;
    return peelToCommit(odb, hex);
  }
  // Only commits reachable from refs can be shown, so search history instead of an oid index.
  const tips: Oid[] = [];
  for (const r of refs) {
    const c = await peelToCommit(odb, r.peeled ?? r.oid);
    if (c !== null) tips.push(c);
  }
  const found = new Set<Oid>();
  await walkByDate(odb, tips, ABBREV_SEARCH_LIMIT, (oid) => {
    if (oid.startsWith(hex)) found.add(oid);
    return found.size > 1;
  });
  if (found.size > 1) throw new BrowseError('BAD_REQUEST', `commit id '${id}' is ambiguous`);
  return found.size === 1 ? [...found][0] : null;
}

/** Resolve a ref that names a commit only (no path), e.g. for `/commit/{sha}` or compare. */
export async function resolveCommitish(
  odb: BrowseOdb,
  refs: readonly Ref[],
  name: string,
): Promise<ResolvedRef> {
  for (const prefix of ['refs/heads/', 'refs/tags/'] as const) {
    const ref = refs.find((r) => r.name === prefix + name);
    if (!ref) continue;
    const commit = await peelToCommit(odb, ref.peeled ?? ref.oid);
    if (commit !== null) return { name, kind: prefix === 'refs/heads/' ? 'branch' : 'tag', commit, path: '' };
  }
  const commit = await resolveCommitId(odb, refs, name);
  if (commit === null) throw new BrowseError('REF_NOT_FOUND', `no branch, tag or commit '${name}'`);
  return { name, kind: 'commit', commit, path: '' };
}
