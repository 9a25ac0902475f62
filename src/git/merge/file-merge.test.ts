// The line-level three-way merge against `git merge-file`: clean merges give the same bytes,
// and what git reports as a conflict is a conflict here.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitTry, makeTempDir, removeDir } from '../../../test/helpers/git';
import { mergeFile } from './file-merge';

const dir = makeTempDir('gitflare-merge-file-');
afterAll(() => removeDir(dir));
const enc = new TextEncoder();

function gitMergeFile(base: string, ours: string, theirs: string): { clean: boolean; text: string } {
  writeFileSync(join(dir, 'base'), base);
  writeFileSync(join(dir, 'ours'), ours);
  writeFileSync(join(dir, 'theirs'), theirs);
  const r = gitTry(dir, ['merge-file', '-p', 'ours', 'base', 'theirs']);
  return { clean: r.code === 0, text: r.stdout };
}

const L = (...xs: string[]) => xs.map((x) => `${x}\n`).join('');

const cases: [string, string, string, string][] = [
  [
    'disjoint edits',
    L('a', 'b', 'c', 'd', 'e', 'f', 'g'),
    L('A', 'b', 'c', 'd', 'e', 'f', 'g'),
    L('a', 'b', 'c', 'd', 'e', 'f', 'G'),
  ],
  ['same edit both sides', L('a', 'b', 'c'), L('a', 'B', 'c'), L('a', 'B', 'c')],
  ['overlapping edits', L('a', 'b', 'c'), L('a', 'X', 'c'), L('a', 'Y', 'c')],
  ['adjacent edits', L('a', 'b', 'c', 'd'), L('a', 'B', 'c', 'd'), L('a', 'b', 'C', 'd')],
  [
    'insert at both ends',
    L('a', 'b', 'c', 'd', 'e'),
    L('start', 'a', 'b', 'c', 'd', 'e'),
    L('a', 'b', 'c', 'd', 'e', 'end'),
  ],
  ['insertions at the same place', L('a', 'b'), L('a', 'x', 'b'), L('a', 'y', 'b')],
  [
    'one side deletes lines',
    L('a', 'b', 'c', 'd', 'e', 'f'),
    L('a', 'd', 'e', 'f'),
    L('a', 'b', 'c', 'd', 'e', 'F'),
  ],
  ['delete vs edit of the same line', L('a', 'b', 'c'), L('a', 'c'), L('a', 'B', 'c')],
  ['no final newline, other side edits the top', 'a\nb\nc\nd\ne', 'A\nb\nc\nd\ne', 'a\nb\nc\nd\ne\nf'],
  ['both add the same final line', 'a\nb', 'a\nb\nc\n', 'a\nb\nc\n'],
  ['empty base, one side empty', '', '', L('new')],
  ['crlf lines', 'a\r\nb\r\nc\r\nd\r\ne\r\n', 'A\r\nb\r\nc\r\nd\r\ne\r\n', 'a\r\nb\r\nc\r\nd\r\nE\r\n'],
];

describe('mergeFile vs git merge-file', () => {
  for (const [name, base, ours, theirs] of cases) {
    it(name, () => {
      const expected = gitMergeFile(base, ours, theirs);
      const got = mergeFile(enc.encode(base), enc.encode(ours), enc.encode(theirs));
      expect(got.clean).toBe(expected.clean);
      if (got.clean) expect(new TextDecoder().decode(got.data)).toBe(expected.text);
    });
  }

  it('never merges binary content', () => {
    const bin = (n: number) => new Uint8Array([0, 1, n]);
    expect(mergeFile(bin(1), bin(2), bin(3)).clean).toBe(false);
  });
});
