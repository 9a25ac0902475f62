// A pull request's changes as unified diff text (`git diff base...head`), from the per-file diffs
// the repository computes for the compare view. Files the compare view leaves out (too large,
// over the line budget) appear with their header only.
import type { FileDiff } from '../git/browse/file-diff';

const short = (oid: string | null) => (oid ?? '0'.repeat(40)).slice(0, 7);

/** A hunk range as git writes it: an empty range names the line before it, a count of 1 is left out. */
function range(start: number, count: number): string {
  if (count === 0) return `${start - 1},0`;
  return count === 1 ? `${start}` : `${start},${count}`;
}

function fileText(f: FileDiff): string {
  const oldPath = f.oldPath ?? (f.newPath as string);
  const newPath = f.newPath ?? (f.oldPath as string);
  const out = [`diff --git a/${oldPath} b/${newPath}`];
  if (f.status === 'added') out.push(`new file mode ${f.newMode}`);
  else if (f.status === 'deleted') out.push(`deleted file mode ${f.oldMode}`);
  else if (f.oldMode !== f.newMode) out.push(`old mode ${f.oldMode}`, `new mode ${f.newMode}`);
  if (f.status === 'renamed') out.push(`rename from ${oldPath}`, `rename to ${newPath}`);
  if (f.oldOid === f.newOid) return `${out.join('\n')}\n`;
  const sameMode = f.status !== 'added' && f.status !== 'deleted' && f.oldMode === f.newMode;
  out.push(`index ${short(f.oldOid)}..${short(f.newOid)}${sameMode ? ` ${f.newMode}` : ''}`);
  if (f.binary) {
    out.push(
      `Binary files ${f.oldPath ? `a/${oldPath}` : '/dev/null'} and ${f.newPath ? `b/${newPath}` : '/dev/null'} differ`,
    );
    return `${out.join('\n')}\n`;
  }
  if (f.hunks.length === 0) return `${out.join('\n')}\n`;
  out.push(
    f.oldPath ? `--- a/${oldPath}` : '--- /dev/null',
    f.newPath ? `+++ b/${newPath}` : '+++ /dev/null',
  );
  for (const h of f.hunks) {
    out.push(`@@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@`);
    for (const l of h.lines) out.push(`${l.kind === 'add' ? '+' : l.kind === 'del' ? '-' : ' '}${l.text}`);
  }
  return `${out.join('\n')}\n`;
}

export function unifiedDiff(files: readonly FileDiff[]): string {
  return files.map(fileText).join('');
}
