// Tree editing and the contents API's commits on the in-memory stores, checked against C git: the
// objects written back into a real repository hash to the same ids, `fsck --strict` is clean, and
// the trees equal what `git update-index` + `git write-tree` make of the same changes.
import { afterAll, describe, expect, it } from 'vitest';
import { git, gitTry, removeDir } from '../../../test/helpers/git';
import { type Loaded, ScenarioRepo } from '../../../test/helpers/merge-repo';
import { NewObjects } from '../merge/objects';
import { parseCommit } from '../object/commit';
import type { ObjectDatabase } from '../odb';
import type { BranchRule } from '../protect/rules';
import { type CommitFilesRequest, commitFiles } from './commit-files';
import { editTree, TreeEditError } from './tree-edit';

const repos: ScenarioRepo[] = [];
afterAll(() => {
  for (const r of repos) removeDir(r.dir);
});

function scenario(): ScenarioRepo {
  const repo = new ScenarioRepo();
  repos.push(repo);
  repo.commit('base', {
    'a.txt': 'a\n',
    'dir/b.txt': 'b\n',
    'dir/sub/c.txt': 'c\n',
    'run.sh': '#!/bin/sh\n',
    'z/y.txt': 'y\n',
  });
  repo.makeExecutable('run.sh');
  repo.commit('exec', {});
  return repo;
}

const enc = new TextEncoder();
const person = { name: 'Ada', email: 'ada@example.com', time: 1_700_000_000, timezone: '+0200' };

function request(
  operations: CommitFilesRequest['operations'],
  extra: Partial<CommitFilesRequest> = {},
): CommitFilesRequest {
  return { branch: 'main', operations, message: 'edit', author: person, committer: person, ...extra };
}

/** Writes every object reachable from `commit` that git lacks into the real repository (checking ids). */
async function exportTo(repo: ScenarioRepo, odb: ObjectDatabase, commit: string): Promise<void> {
  const todo = [commit];
  while (todo.length > 0) {
    const oid = todo.pop() as string;
    if (gitTry(repo.dir, ['cat-file', '-e', oid]).code === 0) continue;
    const obj = await odb.readRequired(oid);
    expect(
      git(repo.dir, ['hash-object', '-w', '-t', obj.type, '--stdin', '--literally'], obj.data).trim(),
    ).toBe(oid);
    if (obj.type === 'commit') todo.push(parseCommit(obj.data).tree);
    if (obj.type === 'tree') {
      for (const line of git(repo.dir, ['ls-tree', oid]).trim().split('\n').filter(Boolean)) {
        todo.push(line.split(/\s+/)[2]);
      }
    }
  }
}

/** `git ls-tree -r` of a commit in the real repository. */
const lsTree = (repo: ScenarioRepo, rev: string) => git(repo.dir, ['ls-tree', '-r', rev]);

describe('editTree', () => {
  it('writes the trees C git writes for the same index changes', async () => {
    const repo = scenario();
    const { odb } = await repo.load();
    const root = parseCommit((await odb.readRequired(repo.rev('main'))).data).tree;
    const blob = git(repo.dir, ['hash-object', '-w', '--stdin'], 'new\n').trim();
    const objects = new NewObjects(odb);
    const tree = await editTree(
      odb,
      root,
      [
        { kind: 'put', path: 'a.txt', oid: blob, mode: '100755' },
        { kind: 'delete', path: 'dir/sub/c.txt' },
        { kind: 'put', path: 'deep/er/file.txt', oid: blob, mode: '100644' },
        { kind: 'delete', path: 'z/y.txt' },
        { kind: 'put', path: 'link', oid: blob, mode: '120000' },
      ],
      objects,
    );
    for (const o of objects.list()) {
      expect(git(repo.dir, ['hash-object', '-w', '-t', o.type, '--stdin'], o.data).trim()).toBeTruthy();
    }
    git(repo.dir, ['read-tree', 'main']);
    git(repo.dir, ['update-index', '--add', '--cacheinfo', `100755,${blob},a.txt`]);
    git(repo.dir, ['update-index', '--force-remove', 'dir/sub/c.txt', 'z/y.txt']);
    git(repo.dir, ['update-index', '--add', '--cacheinfo', `100644,${blob},deep/er/file.txt`]);
    git(repo.dir, ['update-index', '--add', '--cacheinfo', `120000,${blob},link`]);
    expect(tree).toBe(git(repo.dir, ['write-tree']).trim());
    git(repo.dir, ['read-tree', 'main']);
  });

  it('refuses a file in the way, a missing file, git directories and a path twice', async () => {
    const repo = scenario();
    const { odb } = await repo.load();
    const root = parseCommit((await odb.readRequired(repo.rev('main'))).data).tree;
    const blob = git(repo.dir, ['hash-object', '-w', '--stdin'], 'x').trim();
    const put = (path: string) => ({ kind: 'put' as const, path, oid: blob, mode: '100644' as const });
    const code = async (changes: Parameters<typeof editTree>[2]) => {
      try {
        await editTree(odb, root, changes, new NewObjects(odb));
        return 'ok';
      } catch (e) {
        if (e instanceof TreeEditError) return e.code;
        throw e;
      }
    };
    expect(await code([put('a.txt/x')])).toBe('NOT_A_DIRECTORY');
    expect(await code([put('dir')])).toBe('NOT_A_DIRECTORY');
    expect(await code([{ kind: 'delete', path: 'nope/x' }])).toBe('NOT_FOUND');
    expect(await code([{ kind: 'delete', path: 'dir' }])).toBe('NOT_A_DIRECTORY');
    for (const bad of ['.git/config', 'a/.GIT/x', 'x/../y', '/abs', 'a//b', 'git~1/x']) {
      expect(await code([put(bad)])).toBe('INVALID_PATH');
    }
    expect(await code([put('n.txt'), put('n.txt')])).toBe('DUPLICATE_PATH');
    // Positive control: the same shapes at good paths are accepted.
    expect(await code([put('dir/x'), put('n.txt'), { kind: 'delete', path: 'dir/b.txt' }])).toBe('ok');
  });
});

describe('commitFiles', () => {
  async function loaded(): Promise<{ repo: ScenarioRepo } & Loaded> {
    const repo = scenario();
    return { repo, ...(await repo.load()) };
  }

  it('commits creates, updates, renames and deletes on the branch; C git agrees and fsck is clean', async () => {
    const { repo, odb, refs, packs } = await loaded();
    const base = repo.rev('main');
    const aSha = git(repo.dir, ['rev-parse', 'main:a.txt']).trim();
    const shSha = git(repo.dir, ['rev-parse', 'main:run.sh']).trim();
    const cSha = git(repo.dir, ['rev-parse', 'main:dir/sub/c.txt']).trim();
    const r = await commitFiles(
      request([
        { operation: 'create', path: 'new/file.txt', content: enc.encode('hello\n') },
        { operation: 'update', path: 'a.txt', content: enc.encode('A\n'), sha: aSha },
        { operation: 'rename', path: 'bin/run.sh', fromPath: 'run.sh', sha: shSha },
        { operation: 'delete', path: 'dir/sub/c.txt', sha: cSha },
      ]),
      odb,
      refs,
      packs,
    );
    expect(r).toMatchObject({ kind: 'committed', ref: 'refs/heads/main', oldOid: base, parents: [base] });
    if (r.kind !== 'committed') return;
    expect((await refs.list(['refs/heads/main']))[0].oid).toBe(r.commit);
    await exportTo(repo, odb, r.commit);
    git(repo.dir, ['update-ref', 'refs/heads/api', r.commit]);
    git(repo.dir, ['fsck', '--strict', '--no-dangling']);
    // The same edit made by C git in an index.
    const hello = git(repo.dir, ['hash-object', '-w', '--stdin'], 'hello\n').trim();
    const upper = git(repo.dir, ['hash-object', '-w', '--stdin'], 'A\n').trim();
    git(repo.dir, ['read-tree', 'main']);
    git(repo.dir, ['update-index', '--add', '--cacheinfo', `100644,${hello},new/file.txt`]);
    git(repo.dir, ['update-index', '--cacheinfo', `100644,${upper},a.txt`]);
    git(repo.dir, ['update-index', '--add', '--cacheinfo', `100755,${shSha},bin/run.sh`]);
    git(repo.dir, ['update-index', '--force-remove', 'run.sh', 'dir/sub/c.txt']);
    expect(r.tree).toBe(git(repo.dir, ['write-tree']).trim());
    git(repo.dir, ['read-tree', 'main']);
    expect(lsTree(repo, 'api')).toContain(`100755 blob ${shSha}\tbin/run.sh`);
    const commit = git(repo.dir, ['cat-file', 'commit', r.commit]);
    expect(commit).toContain(`parent ${base}\nauthor Ada <ada@example.com> 1700000000 +0200\n`);
    expect(r.files.map((f) => f.path)).toEqual(['new/file.txt', 'a.txt', 'bin/run.sh', 'dir/sub/c.txt']);
    expect(r.files[2].mode).toBe('100755');
  });

  it('refuses a stale sha, an existing file, a missing file or branch, and moves nothing', async () => {
    const { repo, odb, refs, packs } = await loaded();
    const base = repo.rev('main');
    const aSha = git(repo.dir, ['rev-parse', 'main:a.txt']).trim();
    const stale = 'f'.repeat(40);
    const cases: [CommitFilesRequest, string][] = [
      [request([{ operation: 'update', path: 'a.txt', content: enc.encode('x'), sha: stale }]), 'invalid'],
      [request([{ operation: 'update', path: 'a.txt', content: enc.encode('x') }]), 'invalid'],
      [request([{ operation: 'create', path: 'a.txt', content: enc.encode('x') }]), 'invalid'],
      [request([{ operation: 'delete', path: 'nope.txt', sha: aSha }]), 'missing'],
      [
        request([{ operation: 'create', path: 'x', content: enc.encode('x') }], { branch: 'nope' }),
        'missing',
      ],
      [
        request([{ operation: 'create', path: 'x', content: enc.encode('x') }], { newBranch: 'main' }),
        'invalid',
      ],
    ];
    for (const [req, kind] of cases) {
      expect((await commitFiles(req, odb, refs, packs)).kind).toBe(kind);
      expect((await refs.list(['refs/heads/main']))[0].oid).toBe(base);
    }
    // Positive control: the right sha updates, on a new branch made from main.
    const ok = await commitFiles(
      request([{ operation: 'update', path: 'a.txt', content: enc.encode('x'), sha: aSha }], {
        newBranch: 'topic',
      }),
      odb,
      refs,
      packs,
    );
    expect(ok).toMatchObject({ kind: 'committed', ref: 'refs/heads/topic', parents: [base] });
    expect((await refs.list(['refs/heads/main']))[0].oid).toBe(base);
  });

  it("declines through the branch's protection rule, with its reason", async () => {
    const { repo, odb, refs, packs } = await loaded();
    const base = repo.rev('main');
    const rule: BranchRule = {
      ruleName: 'main',
      id: 1,
      enablePush: false,
      enablePushWhitelist: false,
      pushWhitelistUsernames: [],
      enableForcePush: false,
      requiredApprovals: 0,
      enableStatusCheck: false,
      statusCheckContexts: [],
      blockOnRejectedReviews: false,
      dismissStaleApprovals: false,
    };
    const r = await commitFiles(
      request([{ operation: 'create', path: 'x', content: enc.encode('x') }], {
        protection: { rules: [rule], pusher: 'ada' },
      }),
      odb,
      refs,
      packs,
    );
    expect(r.kind).toBe('declined');
    expect(r.kind === 'declined' && r.reason).toMatch(/protected branch/);
    expect((await refs.list(['refs/heads/main']))[0].oid).toBe(base);
    // A rule that takes pushes but no force pushes takes the write: the new commit (not stored
    // yet when the rule is judged) is seen to fast-forward the branch.
    const ff = await commitFiles(
      request([{ operation: 'create', path: 'x', content: enc.encode('x') }], {
        protection: { rules: [{ ...rule, enablePush: true }], pusher: 'ada' },
      }),
      odb,
      refs,
      packs,
    );
    expect(ff).toMatchObject({ kind: 'committed', parents: [base] });
  });
});
