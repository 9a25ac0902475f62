// createTag against a small history made by real git, loaded into the in-memory stores.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, removeDir } from '../../../test/helpers/git';
import { commitFiles, type LoadedRepo, loadRepo, newWorkdir } from '../../../test/unit/browse-fixture';
import { createTag } from './create-tag';

let repo: LoadedRepo;
let first: string;
let second: string;
let side: string;

beforeAll(async () => {
  const dir = newWorkdir();
  first = commitFiles(dir, 'one', { 'a.txt': 'a' });
  second = commitFiles(dir, 'two', { 'a.txt': 'b' });
  git(dir, ['checkout', '-q', '-b', 'side', first]);
  side = commitFiles(dir, 'side', { 'b.txt': 'c' });
  git(dir, ['checkout', '-q', 'main']);
  git(dir, ['tag', 'v0', first]);
  git(dir, ['tag', 'dir/x', first]);
  repo = await loadRepo(dir);
});

afterAll(() => removeDir(repo.dir));

const tagValue = async (name: string) =>
  (await repo.refs.list([`refs/tags/${name}`])).find((r) => r.name === `refs/tags/${name}`)?.oid;

describe('createTag', () => {
  it("creates the tag at HEAD's branch when no target is given", async () => {
    expect(await createTag(repo.odb, repo.refs, 'v1', '')).toEqual({ kind: 'created', commit: second });
    expect(await tagValue('v1')).toBe(second);
  });

  it('creates it at a branch, a tag or a (short) commit id', async () => {
    expect(await createTag(repo.odb, repo.refs, 'v2', 'side')).toEqual({ kind: 'created', commit: side });
    expect(await createTag(repo.odb, repo.refs, 'v3', 'v0')).toEqual({ kind: 'created', commit: first });
    expect(await createTag(repo.odb, repo.refs, 'v4', first.slice(0, 10))).toEqual({
      kind: 'created',
      commit: first,
    });
    expect(await tagValue('v2')).toBe(side);
  });

  it('leaves an existing tag where it is, whatever the target', async () => {
    expect(await createTag(repo.odb, repo.refs, 'v0', 'side')).toEqual({ kind: 'exists', commit: first });
    expect(await tagValue('v0')).toBe(first);
  });

  it('refuses a target that names nothing, and creates nothing', async () => {
    const r = await createTag(repo.odb, repo.refs, 'v5', 'no-such-branch');
    expect(r.kind).toBe('target_not_found');
    expect(await tagValue('v5')).toBeUndefined();
  });

  it('refuses names the ref rules refuse (invalid, file/directory conflict)', async () => {
    for (const bad of ['a..b', 'x.lock', 'dir', 'dir/x/y', 'sp ace']) {
      const r = await createTag(repo.odb, repo.refs, bad, 'main');
      expect(r.kind, bad).toBe('refused');
      expect(await tagValue(bad), bad).toBeUndefined();
    }
  });
});
