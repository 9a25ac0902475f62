// Checking archives with the system's tar and unzip (engine tests may not touch the platform).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, removeDir } from '../helpers/git';

export type ArchiveFormat = 'zip' | 'tar.gz';

function save(bytes: Uint8Array, format: ArchiveFormat): { dir: string; file: string } {
  const dir = makeTempDir('gitflare-archive-');
  const file = join(dir, `archive.${format}`);
  writeFileSync(file, bytes);
  return { dir, file };
}

/** The names in the archive, as the system tool lists them (unzip also tests every entry). */
export function listArchive(bytes: Uint8Array, format: ArchiveFormat): string {
  const { dir, file } = save(bytes, format);
  try {
    if (format === 'zip') {
      execFileSync('unzip', ['-tq', file]);
      return execFileSync('unzip', ['-l', file], { encoding: 'utf8' });
    }
    return execFileSync('tar', ['-tzf', file], { encoding: 'utf8' });
  } finally {
    removeDir(dir);
  }
}

/** Extract with the system tool; returns the folder holding the extracted tree (the caller removes its parent). */
export function extractArchive(bytes: Uint8Array, format: ArchiveFormat): string {
  const { dir, file } = save(bytes, format);
  const dest = join(dir, 'out');
  mkdirSync(dest);
  if (format === 'zip') execFileSync('unzip', ['-q', file, '-d', dest]);
  else execFileSync('tar', ['-xzf', file, '-C', dest]);
  return dest;
}

export interface ExtractedFile {
  readonly bytes: Uint8Array | null;
  readonly link: string | null;
  readonly executable: boolean;
}

export function readExtracted(root: string, path: string): ExtractedFile {
  const full = join(root, path);
  const st = statSync(full, { throwIfNoEntry: false });
  let link: string | null = null;
  try {
    link = readlinkSync(full);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EINVAL') throw e;
  }
  return {
    bytes: link === null && st ? new Uint8Array(readFileSync(full)) : null,
    link,
    executable: st ? (st.mode & 0o100) !== 0 : false,
  };
}

export function readWorkFile(dir: string, path: string): Uint8Array {
  return new Uint8Array(readFileSync(join(dir, path)));
}

/** Make a symbolic link inside a work tree (git records it as mode 120000). */
export function symlinkIn(dir: string, target: string, name: string): void {
  execFileSync('ln', ['-s', target, join(dir, name)]);
}
