import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, git, removeDir } from '../../../test/helpers/git';
import {
  extractArchive,
  listArchive,
  readExtracted,
  readWorkFile,
  symlinkIn,
} from '../../../test/unit/archive-tools';
import { commitFiles, type LoadedRepo, loadRepo, newWorkdir } from '../../../test/unit/browse-fixture';
import { readCommit } from '../browse/objects';
import type { ArchiveSource } from './source';
import { tarGzStream } from './tar';
import { treeFiles } from './tree-files';
import { zipStream } from './zip';

const LONG = `${'deep/'.repeat(25)}${'n'.repeat(120)}.txt`;
const UNICODE = 'dir/caf\u00e9 \u2603.txt';
let repo: LoadedRepo;
let head: string;

beforeAll(async () => {
  const dir = newWorkdir();
  const big = new Uint8Array(300_000).map((_, i) => (i * 7919) % 251);
  commitFiles(dir, 'files', {
    'README.md': '# R\n',
    'src/main.c': 'int main(void) { return 0; }\n'.repeat(100),
    [LONG]: 'long name\n',
    [UNICODE]: 'unicode\n',
    'bin/big.bin': big,
    'run.sh': '#!/bin/sh\necho hi\n',
  });
  git(dir, ['update-index', '--chmod=+x', 'run.sh']);
  symlinkIn(dir, 'src/main.c', 'link');
  git(dir, ['add', 'link']);
  head = commitFiles(dir, 'exec and link', {});
  repo = await loadRepo(dir);
});

afterAll(() => removeDir(repo.dir));

async function source(): Promise<ArchiveSource> {
  const commit = await readCommit(repo.odb, head);
  return {
    prefix: 'proj-main/',
    mtime: commit.committer.time,
    commit: head,
    entries: treeFiles(repo.odb, commit.tree),
    readBlob: async (oid) => (await repo.odb.read(oid))?.data ?? new Uint8Array(0),
  };
}

function expectSameFiles(root: string): void {
  const files = git(repo.dir, ['ls-tree', '-r', '--name-only', '-z', 'HEAD']).split('\0').filter(Boolean);
  for (const f of files) {
    const got = readExtracted(root, `proj-main/${f}`);
    if (f === 'link') expect(got.link).toBe('src/main.c');
    else expect(got.bytes, f).toEqual(readWorkFile(repo.dir, f));
  }
  expect(readExtracted(root, 'proj-main/run.sh').executable).toBe(true);
}

describe('archives', () => {
  for (const format of ['tar.gz', 'zip'] as const) {
    it(`writes a ${format} that the system tool lists and extracts exactly`, async () => {
      const stream = format === 'zip' ? zipStream(await source()) : tarGzStream(await source());
      const bytes = await collect(stream);
      const list = listArchive(bytes, format);
      expect(list).toContain(`proj-main/${LONG}`);
      expect(list).toContain(`proj-main/${UNICODE}`);
      const root = extractArchive(bytes, format);
      expectSameFiles(root);
      removeDir(dirname(root));
    });
  }
});
