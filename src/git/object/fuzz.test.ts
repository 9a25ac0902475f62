/**
 * Fuzz of the object parsers and of fsck over them: random and mutated commits, trees and tags
 * either parse or fail with a typed GitError; fsck never throws, it reports.
 */
import { describe, expect, it } from 'vitest';
import { concat, obj, treeEntry } from '../../../test/helpers/packs';
import { mutate, rng } from '../../../test/helpers/prng';
import { isGitError } from '../errors';
import { FsckReport } from '../fsck/findings';
import { fsckGitattributes } from '../fsck/gitattributes';
import { fsckGitmodules } from '../fsck/gitmodules';
import { fsckObject } from '../fsck/object';
import type { ObjectType } from '../store';
import { parseCommit, parseCommitLinks } from './commit';
import { parseTag } from './tag';
import { parseTree } from './tree';

const WHO = 'A U Thor <a@example.com> 1700000000 +0200';
const blob = obj('blob', 'x');
const samples: Array<[ObjectType, Uint8Array]> = [
  [
    'commit',
    new TextEncoder().encode(
      `tree ${blob.oid}\nparent ${blob.oid}\nauthor ${WHO}\ncommitter ${WHO}\ngpgsig a\n b\n\nmsg\n`,
    ),
  ],
  [
    'tree',
    concat([
      treeEntry('100644', '.gitmodules', blob.oid),
      treeEntry('40000', 'dir', blob.oid),
      treeEntry('120000', 'z', blob.oid),
    ]),
  ],
  ['tag', new TextEncoder().encode(`object ${blob.oid}\ntype commit\ntag v1\ntagger ${WHO}\n\nmsg\n`)],
];
const PARSERS: Record<string, (d: Uint8Array) => unknown> = {
  commit: (d) => [parseCommit(d), parseCommitLinks(d)],
  tree: parseTree,
  tag: parseTag,
};

function typedOnly(seed: number, work: () => unknown): void {
  try {
    work();
  } catch (e) {
    if (!isGitError(e)) throw new Error(`seed ${seed}: untyped failure ${String(e)}`);
  }
}

describe('object parser fuzz', () => {
  it('parses 6000 mutated objects: typed errors only; fsck always reports instead of throwing', () => {
    let findings = 0;
    for (let seed = 1; seed <= 6000; seed++) {
      const r = rng(seed);
      const [type, sample] = r.pick(samples);
      const data = r.int(8) === 0 ? r.bytes(r.int(200)) : mutate(r, sample);
      for (const parser of Object.values(PARSERS)) typedOnly(seed, () => parser(data));
      const special = { gitmodules: new Set<string>(), gitattributes: new Set<string>() };
      findings += fsckObject(blob.oid, type, data, special).length;
      const report = new FsckReport(blob.oid);
      fsckGitmodules(data, report);
      fsckGitattributes(data, report);
    }
    expect(findings).toBeGreaterThan(1000);
  });
});
