/**
 * Three-way merge of trees. Per path: a side that did not change from the base yields to the
 * other; both sides making the same change agree; subtrees changed on both sides merge
 * recursively; files changed on both sides merge line by line (file-merge.ts). Anything else
 * (modify/delete, add/add with different content that does not merge, file/directory, both
 * sides changing a symlink, submodule or the executable bit differently) is a conflict at that
 * path.
 *
 * Renames are not detected: a file renamed on one side and edited on the other is a
 * modify/delete conflict here, where git's default (ort) merge would follow the rename.
 */

import { ObjectError } from '../errors';
import { latin1Decode } from '../object/headers';
import { entryKind, parseTree, type TreeEntry } from '../object/tree';
import type { Oid } from '../store';
import { MergeError } from './errors';
import { mergeFile } from './file-merge';
import type { MergeLimits } from './limits';
import type { MergeOdb, NewObjects } from './objects';

const utf8 = new TextDecoder();

export interface TreeMergeContext {
  readonly odb: MergeOdb;
  readonly objects: NewObjects;
  /** Paths that could not be merged, in tree order. */
  readonly conflicts: string[];
  /** A merge check's bounds and the paths it has looked at so far (none for a real merge). */
  readonly check?: { readonly limits: MergeLimits; paths: number };
}

/** A merge check stops past its bounds: too many paths changed on both sides... */
function countPath(ctx: TreeMergeContext): void {
  const check = ctx.check;
  if (check && ++check.paths > check.limits.maxPaths)
    throw new MergeError('MERGE_TOO_LARGE', `more than ${check.limits.maxPaths} paths changed on both sides`);
}

/** ...or a file to merge line by line that is too big. */
async function checkSizes(ctx: TreeMergeContext, path: string, blobs: (Oid | null)[]): Promise<void> {
  const check = ctx.check;
  if (!check) return;
  for (const oid of blobs) {
    if (oid === null || ctx.objects.get(oid)) continue;
    const size = (await ctx.odb.info(oid))?.size ?? 0;
    if (size > check.limits.maxFileBytes)
      throw new MergeError(
        'MERGE_TOO_LARGE',
        `'${path}' changed on both sides is larger than ${check.limits.maxFileBytes} bytes`,
      );
  }
}

type Entry = TreeEntry | undefined;

function same(x: Entry, y: Entry): boolean {
  if (x === undefined || y === undefined) return x === y;
  return x.oid === y.oid && x.mode === y.mode;
}

const isTree = (e: Entry): boolean => e !== undefined && entryKind(e.mode) === 'tree';
const isFile = (e: Entry): boolean => e !== undefined && entryKind(e.mode) === 'blob';

async function readBytes(ctx: TreeMergeContext, oid: Oid): Promise<Uint8Array> {
  const made = ctx.objects.get(oid);
  if (made) return made.data;
  const obj = await ctx.odb.read(oid);
  if (!obj) throw new ObjectError('OBJECT_NOT_FOUND', `merge: object ${oid} is missing`);
  return obj.data;
}

async function entriesOf(ctx: TreeMergeContext, oid: Oid | null): Promise<Map<string, TreeEntry>> {
  const out = new Map<string, TreeEntry>();
  if (oid === null) return out;
  for (const e of parseTree(await readBytes(ctx, oid))) out.set(latin1Decode(e.name), e);
  return out;
}

/**
 * Merge three trees (null = empty). Returns the merged tree's id, or null when it is empty (a
 * directory that ends up empty disappears, as in git). With conflicts, the result is meaningless
 * and the caller must look at `ctx.conflicts`.
 */
export async function mergeTrees(
  ctx: TreeMergeContext,
  base: Oid | null,
  ours: Oid | null,
  theirs: Oid | null,
  prefix = '',
): Promise<Oid | null> {
  if (ours === theirs) return ours;
  if (base === ours) return theirs;
  if (base === theirs) return ours;
  const [b, o, t] = await Promise.all([entriesOf(ctx, base), entriesOf(ctx, ours), entriesOf(ctx, theirs)]);
  const names = [...new Set([...b.keys(), ...o.keys(), ...t.keys()])].sort();
  const result: TreeEntry[] = [];
  for (const name of names) {
    const merged = await mergeEntry(
      ctx,
      b.get(name),
      o.get(name),
      t.get(name),
      prefix + utf8.decode(latin1Bytes(name)),
    );
    if (merged) result.push(merged);
  }
  if (result.length === 0) return null;
  return ctx.objects.addTree(result);
}

function latin1Bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

async function mergeEntry(ctx: TreeMergeContext, b: Entry, o: Entry, t: Entry, path: string): Promise<Entry> {
  if (same(o, t)) return o;
  if (same(b, o)) return t;
  if (same(b, t)) return o;
  const name = ((o ?? t ?? b) as TreeEntry).name;
  // Both sides changed this path, differently.
  countPath(ctx);
  if (isTree(o) || isTree(t)) {
    // Directories on both sides (or one deleted a directory the other changed) merge inside;
    // a file against a directory is a conflict.
    const dirs = (o === undefined || isTree(o)) && (t === undefined || isTree(t));
    if (!dirs || (!isTree(b) && (o === undefined || t === undefined))) {
      ctx.conflicts.push(path);
      return o;
    }
    const oid = await mergeTrees(
      ctx,
      b && isTree(b) ? b.oid : null,
      o?.oid ?? null,
      t?.oid ?? null,
      `${path}/`,
    );
    return oid === null ? undefined : { mode: '40000', name, oid };
  }
  if (o === undefined || t === undefined || !isFile(o) || !isFile(t)) {
    // Modify/delete, or a submodule changed on both sides.
    ctx.conflicts.push(path);
    return o;
  }
  const mode = mergeMode(b && isFile(b) ? b.mode : null, o.mode, t.mode);
  if (mode === null) {
    ctx.conflicts.push(path);
    return o;
  }
  if (o.oid === t.oid) return { mode, name, oid: o.oid };
  const base = b && isFile(b) ? b.oid : null;
  if (base === o.oid) return { mode, name, oid: t.oid };
  if (base === t.oid) return { mode, name, oid: o.oid };
  // Symlink targets are not merged line by line (git does not either).
  if (o.mode === '120000') {
    ctx.conflicts.push(path);
    return o;
  }
  await checkSizes(ctx, path, [base, o.oid, t.oid]);
  const r = mergeFile(
    base === null ? new Uint8Array(0) : await readBytes(ctx, base),
    await readBytes(ctx, o.oid),
    await readBytes(ctx, t.oid),
    ctx.check?.limits,
  );
  if (!r.clean) {
    ctx.conflicts.push(path);
    return o;
  }
  return { mode, name, oid: await ctx.objects.add('blob', r.data) };
}

/** The merged mode of a file (executable bit, symlink), or null when both sides changed it. */
function mergeMode(base: string | null, ours: string, theirs: string): string | null {
  if (ours === theirs) return ours;
  if (base === ours) return theirs;
  if (base === theirs) return ours;
  return null;
}
