/** Ref listing: peeled tags, and what a store remembers so that listings look nothing up again. */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { git, gitStream, makeRepo, removeDir } from '../../../test/helpers/git';
import { MemoryRepository } from '../memory/repo';
import { indexPack } from '../pack/index-pack';
import { peeledCommands } from '../push/commands';
import { type RefCommand, ZERO_OID } from '../store';
import { listRefs } from './refs';

let src: string;

beforeAll(() => {
  src = makeRepo(200);
});
afterAll(() => removeDir(src));

/** The source's refs as git lists them: name, object, and the peeled object of an annotated tag. */
function gitRefs(): { name: string; oid: string; peeled?: string }[] {
  return git(src, ['for-each-ref', '--format=%(refname) %(objectname) %(*objectname)'])
    .trim()
    .split('\n')
    .map((l) => {
      const [name, oid, peeled] = l.split(' ');
      return peeled ? { name, oid, peeled } : { name, oid };
    });
}

/** The source's objects in a repository, its refs written by `commands` of the given refs. */
async function repository(commands: (refs: RefCommand[], repo: MemoryRepository) => Promise<RefCommand[]>) {
  const repo = new MemoryRepository();
  const writer = repo.packs.newPack();
  await indexPack(gitStream(src, ['pack-objects', '--revs', '--all', '--stdout'], ''), writer, repo.packs);
  repo.packs.publish(writer.packId);
  const plain = gitRefs().map((r) => ({ name: r.name, oldOid: ZERO_OID, newOid: r.oid }));
  const results = await repo.refs.update(await commands(plain, repo), { atomic: true });
  expect(results.every((r) => r.ok)).toBe(true);
  return repo;
}

/** Listing's answer in git's terms (marks the store keeps are not part of it). */
function shown(refs: readonly { name: string; oid: string; peeled?: string }[]) {
  return refs.map((r) =>
    r.peeled ? { name: r.name, oid: r.oid, peeled: r.peeled } : { name: r.name, oid: r.oid },
  );
}

describe('listRefs', () => {
  it('looks up the tag refs a store knows nothing of once, then never again', async () => {
    // Refs written without marks: rows of an older store, or written by a path that did not peel.
    const repo = await repository(async (plain) => plain);
    const lookups = vi.spyOn(repo.odb, 'entries');
    const tagRefs = gitRefs().filter((r) => r.name.startsWith('refs/tags/'));
    expect(tagRefs.some((r) => r.peeled === undefined)).toBe(true);
    expect(tagRefs.some((r) => r.peeled !== undefined)).toBe(true);

    const first = await listRefs(repo);
    expect(shown(first.refs)).toEqual(gitRefs());
    expect(lookups.mock.calls.flatMap(([oids]) => oids).sort()).toEqual(tagRefs.map((r) => r.oid).sort());

    lookups.mockClear();
    const second = await listRefs(repo);
    expect(shown(second.refs)).toEqual(gitRefs());
    expect(lookups).not.toHaveBeenCalled();
    expect(second.head).toBe(git(src, ['rev-parse', 'main']).trim());
  });

  it('looks nothing up for refs a push wrote (peeled or marked as no tag)', async () => {
    const repo = await repository((plain, r) => peeledCommands(r.odb, plain, new Map()));
    const lookups = vi.spyOn(repo.odb, 'entries');
    expect(shown((await listRefs(repo)).refs)).toEqual(gitRefs());
    expect(lookups).not.toHaveBeenCalled();
  });

  it('does not keep what it found for a ref that moved meanwhile', async () => {
    const repo = await repository(async (plain) => plain);
    const light = gitRefs().find((r) => r.name.startsWith('refs/tags/light-'));
    const annotated = gitRefs().find((r) => r.peeled !== undefined);
    if (!light || !annotated) throw new Error('the test repository has both kinds of tags');
    await repo.refs.rememberPeeled([{ name: light.name, oid: annotated.oid, notTag: true }]);
    const lookups = vi.spyOn(repo.odb, 'entries');
    await listRefs(repo);
    expect(lookups.mock.calls.flatMap(([oids]) => oids)).toContain(light.oid);
  });
});
