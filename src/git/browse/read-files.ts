/** Directory listings (with last commits and README) and file contents for display. */
import { decodeText, isBinary } from './binary';
import { lastCommits } from './last-commits';
import type { Located } from './locate';
import { type BrowseOdb, readCommit, readTree } from './objects';
import type { BrowseResult, EntryKind, Readme, TreeItem } from './request';

const README_MAX = 512 * 1024;
const README_NAMES = [/^readme\.(md|markdown|mdown)$/i, /^readme(\.txt)?$/i, /^readme\.\w+$/i];

function kindOf(kind: string, mode: string): EntryKind {
  if (kind === 'tree') return 'dir';
  if (kind === 'commit') return 'submodule';
  return mode === '120000' ? 'symlink' : 'file';
}

export async function readDirectory(
  odb: BrowseOdb,
  loc: Located,
  opts: { lastCommits: boolean; readme: boolean },
): Promise<BrowseResult> {
  const commit = await readCommit(odb, loc.ref.commit);
  const raw = await readTree(odb, loc.entry.oid);
  const last = opts.lastCommits
    ? await lastCommits(
        odb,
        loc.ref.commit,
        loc.path,
        raw.map((e) => e.name),
      )
    : { byName: new Map(), capped: false };
  const entries: TreeItem[] = [];
  for (const e of raw) {
    const size = e.kind === 'blob' ? ((await odb.info(e.oid))?.size ?? null) : null;
    entries.push({
      name: e.name,
      path: loc.path === '' ? e.name : `${loc.path}/${e.name}`,
      kind: kindOf(e.kind, e.mode),
      mode: e.mode,
      oid: e.oid,
      size,
      lastCommit: last.byName.get(e.name) ?? null,
    });
  }
  // Directories first, then files, each by name: how file lists read.
  entries.sort(
    (a, b) =>
      Number(b.kind === 'dir') - Number(a.kind === 'dir') || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  let readme: Readme | null = null;
  if (opts.readme) {
    for (const re of README_NAMES) {
      const hit = entries.find((e) => e.kind === 'file' && re.test(e.name));
      if (!hit) continue;
      const obj = await odb.read(hit.oid);
      if (!obj || isBinary(obj.data)) break;
      readme = {
        path: hit.path,
        text: decodeText(obj.data.subarray(0, README_MAX)),
        truncated: obj.data.length > README_MAX,
      };
      break;
    }
  }
  return {
    kind: 'tree',
    ref: loc.ref,
    path: loc.path,
    commit,
    entries,
    lastCommitsCapped: last.capped,
    readme,
  };
}

export async function readBlob(
  odb: BrowseOdb,
  loc: Located,
  maxBytes: number,
  withBytes: boolean,
): Promise<BrowseResult> {
  const commit = await readCommit(odb, loc.ref.commit);
  const info = await odb.info(loc.entry.oid);
  const size = info?.size ?? 0;
  const base = {
    kind: 'blob' as const,
    ref: loc.ref,
    path: loc.path,
    commit,
    oid: loc.entry.oid,
    mode: loc.entry.mode,
    size,
  };
  // Submodules name a commit of another repository: there is nothing to read here.
  if (loc.entry.kind === 'commit')
    return { ...base, binary: false, text: null, tooLarge: false, bytes: null };
  if (size > maxBytes) {
    // Never read whole into a page: whether it is binary stays unknown, the page offers a download.
    return { ...base, binary: false, text: null, tooLarge: true, bytes: null };
  }
  const obj = await odb.read(loc.entry.oid);
  const data = obj?.data ?? new Uint8Array(0);
  const binary = isBinary(data);
  return {
    ...base,
    binary,
    text: binary ? null : decodeText(data),
    tooLarge: false,
    bytes: withBytes ? data : null,
  };
}
