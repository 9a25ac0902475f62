import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, gitStream, makeRepo, removeDir } from '../../../test/helpers/git';
import { recordReads } from '../../../test/helpers/odb-reads';
import { MemoryPackStore } from '../memory/pack-store';
import { ObjectDatabase } from '../odb';
import { indexPack } from '../pack/index-pack';
import type { Ref } from '../store';
import { tagsToInclude } from './include-tag';

let repo: string;
let odb: ObjectDatabase;
let refs: Ref[];

beforeAll(async () => {
  repo = makeRepo(200);
  const store = new MemoryPackStore();
  const writer = store.newPack();
  await indexPack(gitStream(repo, ['pack-objects', '--revs', '--all', '--stdout'], ''), writer, store);
  store.publish(writer.packId);
  odb = new ObjectDatabase(store);
  // The refs as stores keep them: annotated tags with their peeled value.
  refs = git(repo, ['for-each-ref', '--format=%(objectname) %(refname) %(*objectname)'])
    .trim()
    .split('\n')
    .map((l) => {
      const [oid, name, peeled] = l.split(' ');
      return peeled ? { name, oid, peeled } : { name, oid };
    });
}, 60_000);
afterAll(() => removeDir(repo));

const rev = (r: string) => git(repo, ['rev-parse', r]).trim();

describe('include-tag', () => {
  it('adds the tag whose commit is sent, reading no other tag', async () => {
    const { walkOdb, reads } = recordReads(odb);
    const tags = ['v60', 'v120', 'v180'].map(rev);
    expect(
      refs
        .filter((r) => r.peeled !== undefined)
        .map((r) => r.oid)
        .sort(),
    ).toEqual([...tags].sort());
    const sent = new Set([rev('v120^{commit}')]);
    expect(await tagsToInclude(walkOdb, refs, (oid) => sent.has(oid))).toEqual([rev('v120')]);
    // A fetch of a few commits meets every annotated tag of the history: the others' peeled values
    // say they stay behind, without reading them.
    expect(reads.filter((oid) => tags.includes(oid))).toEqual([rev('v120')]);
    // Nothing sent, nothing added, nothing read.
    reads.length = 0;
    expect(await tagsToInclude(walkOdb, refs, () => false)).toEqual([]);
    expect(reads).toEqual([]);
  });
});
