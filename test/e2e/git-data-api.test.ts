// Gitea's git data API and contents write API against the real server, each answer compared with
// C git on a clone: refs, commits (files and stats), trees (recursive, paged), blobs, contents; a
// contents write fetched back with git (fsck --strict clean); a stale sha refused with nothing
// moved; a protected branch refusing with its rule's reason; who may call each endpoint.
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type Auth,
  asToken,
  authUrl,
  call,
  createRepo,
  createToken,
  createUser,
  type GitUser,
  uniqueName,
} from '../helpers/accounts';
import { git, gitBytes, TempDirs } from '../helpers/git';
import { grantOn } from '../helpers/repo-setup';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
const dirs = new TempDirs();

type Person = 'owner' | 'writer' | 'reader' | 'stranger';
type Who = Person | 'anonymous' | 'scoped';
const users = {} as Record<Person, GitUser>;
const auths = {} as Record<Who, Auth>;

beforeAll(async () => {
  const names: Person[] = ['owner', 'writer', 'reader', 'stranger'];
  const made = await Promise.all(names.map((n) => createUser(base, `gd-${n}`)));
  names.forEach((n, i) => {
    users[n] = made[i];
    auths[n] = asToken(made[i].token);
  });
  auths.anonymous = null;
  auths.scoped = asToken((await createToken(base, users.owner, { scopes: ['read:repository'] })).sha1);
});

afterAll(() => dirs.removeAll());

function write(dir: string, path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), content);
}

/** A repository with a writer and a reader, and a clone holding a small history pushed to it. */
async function setup(opts: { private?: boolean } = {}) {
  const name = uniqueName('gd');
  await createRepo(base, auths.owner, name, opts);
  const api = `/api/v1/repos/${users.owner.username}/${name}`;
  for (const [who, permission] of [
    ['writer', 'write'],
    ['reader', 'read'],
  ] as const) {
    await grantOn(base, `${users.owner.username}/${name}`, auths.owner, users[who], permission);
  }
  const dir = dirs.make();
  git(dir, ['init', '-q', '-b', 'main']);
  write(dir, 'README.md', '# hello\n');
  write(dir, 'src/main.c', 'int main(void) { return 0; }\n');
  write(dir, 'src/lib/util.c', 'int util;\n');
  write(dir, 'run.sh', '#!/bin/sh\necho hi\n');
  chmodSync(join(dir, 'run.sh'), 0o755);
  git(dir, ['add', '.']);
  git(dir, ['commit', '-q', '-m', 'first']);
  git(dir, ['tag', '-a', 'v1', '-m', 'version one']);
  write(dir, 'README.md', '# hello\n\nmore\n');
  write(dir, 'src/main.c', 'int main(void) { return 1; }\n');
  symlinkSync('README.md', join(dir, 'link'));
  git(dir, ['rm', '-q', 'src/lib/util.c']);
  git(dir, ['add', '.']);
  git(dir, ['commit', '-q', '-m', 'second\n\nbody']);
  git(dir, ['tag', 'light']);
  git(dir, ['branch', 'side', 'HEAD~1']);
  const url = authUrl(base, users.owner, users.owner.username, name);
  git(dir, ['push', '-q', url, 'main', 'side', 'v1', 'light']);
  return { name, api, dir, url };
}

interface Person3 {
  name: string;
  email: string;
  date: string;
}
interface CommitJ {
  sha: string;
  commit: { tree: { sha: string }; message: string; verification: { verified: boolean } };
  parents: { sha: string }[];
  files: { filename: string; status: string }[];
  stats: { total: number; additions: number; deletions: number };
}
interface TreeJ {
  sha: string;
  tree: ({ path: string } & Record<string, unknown>)[];
  truncated: boolean;
  page: number;
  total_count: number;
}
interface BlobJ {
  sha: string;
  content: string;
  encoding: string;
  size: number;
}
interface ContentJ {
  sha: string;
  path: string;
  content: string;
  url: string;
  download_url: string;
  _links: { self: string; git: string };
}
interface FileJ {
  content: ContentJ | null;
  commit: { sha: string; message: string; author: Person3 };
}
interface FilesJ {
  files: (ContentJ | null)[];
  commit: { sha: string };
}

const b64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64');
const unb64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

describe('git data reads equal C git', () => {
  let repo: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => {
    repo = await setup();
  });

  test('git/refs lists every ref with its object type; a prefix lists or answers the exact ref', async () => {
    const { api, dir } = repo;
    const expected = git(dir, ['for-each-ref', '--format=%(refname) %(objectname) %(objecttype)'])
      .trim()
      .split('\n');
    const all = await call<
      { ref: string; url: string; object: { type: string; sha: string; url: string } }[]
    >(base, 'GET', `${api}/git/refs`, { auth: auths.reader });
    expect(all.status).toBe(200);
    expect(all.body.map((r) => `${r.ref} ${r.object.sha} ${r.object.type}`).sort()).toEqual(expected.sort());
    const tag = all.body.find((r) => r.ref === 'refs/tags/v1');
    expect(tag?.object.type).toBe('tag');
    expect(tag?.object.url).toBe(`${base}${api}/git/tags/${tag?.object.sha}`);

    const heads = await call<{ ref: string }[]>(base, 'GET', `${api}/git/refs/heads`, { auth: auths.reader });
    expect(heads.body.map((r) => r.ref)).toEqual(['refs/heads/main', 'refs/heads/side']);
    const main = await call<{ ref: string; object: { sha: string } }>(
      base,
      'GET',
      `${api}/git/refs/heads/main`,
      {
        auth: auths.reader,
      },
    );
    expect(main.status).toBe(200);
    expect(main.body.ref).toBe('refs/heads/main');
    expect(main.body.object.sha).toBe(git(dir, ['rev-parse', 'main']).trim());
    expect((await call(base, 'GET', `${api}/git/refs/heads/nope`, { auth: auths.reader })).status).toBe(404);
  });

  test('git/commits/{sha} and commits/{sha}: Gitea Commit with files and stats as git show has them', async () => {
    const { api, dir } = repo;
    const sha = git(dir, ['rev-parse', 'main']).trim();
    const raw = git(dir, ['cat-file', 'commit', sha]);
    const numstat = git(dir, ['show', '--numstat', '--format=', '--no-renames', sha]).trim().split('\n');
    const additions = numstat.reduce((n, l) => n + (Number(l.split('\t')[0]) || 0), 0);
    const deletions = numstat.reduce((n, l) => n + (Number(l.split('\t')[1]) || 0), 0);
    const names = git(dir, ['show', '--name-status', '--format=', '--no-renames', sha])
      .trim()
      .split('\n')
      .map((l) => {
        const [s, f] = l.split('\t');
        return { filename: f, status: s === 'A' ? 'added' : s === 'D' ? 'removed' : 'modified' };
      });
    for (const path of [`${api}/git/commits/${sha}`, `${api}/commits/${sha}`, `${api}/git/commits/main`]) {
      const r = await call<CommitJ>(base, 'GET', path, { auth: auths.reader });
      expect(r.status).toBe(200);
      expect(r.body.sha).toBe(sha);
      expect(raw).toContain(`tree ${r.body.commit.tree.sha}\n`);
      expect(r.body.parents.map((p: { sha: string }) => `parent ${p.sha}`)).toEqual(
        raw.split('\n').filter((l) => l.startsWith('parent ')),
      );
      expect(r.body.commit.message).toBe('second\n\nbody\n');
      expect(r.body.files).toEqual(expect.arrayContaining(names));
      expect(r.body.files).toHaveLength(names.length);
      expect(r.body.stats).toEqual({ total: additions + deletions, additions, deletions });
      expect(r.body.commit.verification.verified).toBe(false);
    }
    expect(
      (await call(base, 'GET', `${api}/git/commits/${'0'.repeat(40)}`, { auth: auths.reader })).status,
    ).toBe(404);
  });

  test('git/trees/{sha}: entries as ls-tree -r -t -l, paged with truncated and total_count', async () => {
    const { api, dir } = repo;
    const tree = git(dir, ['rev-parse', 'main^{tree}']).trim();
    const expected = git(dir, ['ls-tree', '-r', '-t', '-l', 'main'])
      .trim()
      .split('\n')
      .map((l) => {
        const [meta, path] = l.split('\t');
        const [mode, type, sha, size] = meta.split(/\s+/);
        return { path, mode, type, sha, size: size === '-' ? 0 : Number(size) };
      });
    const r = await call<TreeJ>(base, 'GET', `${api}/git/trees/${tree}?recursive=true`, {
      auth: auths.reader,
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ sha: tree, truncated: false, page: 1, total_count: expected.length });
    expect(r.body.tree.map((e) => ({ ...e, url: undefined }))).toEqual(
      expected.map((e) => ({ ...e, url: undefined })),
    );
    const byCommit = await call<TreeJ>(base, 'GET', `${api}/git/trees/main`, {
      auth: auths.reader,
    });
    expect(byCommit.body.sha).toBe(tree);
    expect(byCommit.body.tree.map((e: { path: string }) => e.path)).toEqual(
      git(dir, ['ls-tree', '--name-only', 'main']).trim().split('\n'),
    );
    const page = await call<TreeJ>(base, 'GET', `${api}/git/trees/${tree}?recursive=1&per_page=2&page=2`, {
      auth: auths.reader,
    });
    expect(page.body).toMatchObject({ truncated: true, page: 2, total_count: expected.length });
    expect(page.body.tree.map((e: { path: string }) => e.path)).toEqual(
      expected.slice(2, 4).map((e) => e.path),
    );
    expect(
      (await call(base, 'GET', `${api}/git/trees/${'1'.repeat(40)}`, { auth: auths.reader })).status,
    ).toBe(400);
  });

  test('git/blobs/{sha}: base64 content equals cat-file; a blob past the cap comes without content', async () => {
    const { api, dir, url } = repo;
    const sha = git(dir, ['rev-parse', 'main:src/main.c']).trim();
    const r = await call<BlobJ>(base, 'GET', `${api}/git/blobs/${sha}`, { auth: auths.reader });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      sha,
      encoding: 'base64',
      size: Number(git(dir, ['cat-file', '-s', sha])),
    });
    expect(unb64(r.body.content)).toEqual(gitBytes(dir, ['cat-file', 'blob', sha]));
    // Bigger than the 1 MiB inline cap: described, content null (read it from raw instead).
    const big = new Uint8Array(1024 * 1024 + 10).fill(97);
    write(dir, 'big.bin', big);
    git(dir, ['add', 'big.bin']);
    git(dir, ['commit', '-q', '-m', 'big']);
    git(dir, ['push', '-q', url, 'main']);
    const bigSha = git(dir, ['rev-parse', 'main:big.bin']).trim();
    const large = await call<BlobJ>(base, 'GET', `${api}/git/blobs/${bigSha}`, {
      auth: auths.reader,
    });
    expect(large.body).toMatchObject({ sha: bigSha, size: big.length, content: null, encoding: null });
    const tree = git(dir, ['rev-parse', 'main^{tree}']).trim();
    expect((await call(base, 'GET', `${api}/git/blobs/${tree}`, { auth: auths.reader })).status).toBe(400);
  });

  test('contents/{path}: sha, base64 content, links; a symlink has its target; a directory lists', async () => {
    const { api, dir } = repo;
    const r = await call<ContentJ & Record<string, unknown>>(
      base,
      'GET',
      `${api}/contents/src/main.c?ref=main`,
      {
        auth: auths.reader,
      },
    );
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      name: 'main.c',
      path: 'src/main.c',
      type: 'file',
      sha: git(dir, ['rev-parse', 'main:src/main.c']).trim(),
      encoding: 'base64',
      last_commit_sha: git(dir, ['rev-parse', 'main']).trim(),
    });
    expect(unb64(r.body.content)).toEqual(gitBytes(dir, ['show', 'main:src/main.c']));
    expect(r.body._links.self).toBe(r.body.url);
    expect(r.body._links.git).toBe(`${base}${api}/git/blobs/${r.body.sha}`);
    const raw = await fetch(r.body.download_url, {
      headers: { authorization: `token ${users.reader.token}` },
    });
    expect(new Uint8Array(await raw.arrayBuffer())).toEqual(gitBytes(dir, ['show', 'main:src/main.c']));
    const link = await call<ContentJ & Record<string, unknown>>(base, 'GET', `${api}/contents/link`, {
      auth: auths.reader,
    });
    expect(link.body).toMatchObject({ type: 'symlink', target: 'README.md', content: null });
    const list = await call<{ name: string; type: string; sha: string }[]>(
      base,
      'GET',
      `${api}/contents/src`,
      {
        auth: auths.reader,
      },
    );
    expect(list.body.map((e) => `${e.type} ${e.name} ${e.sha}`)).toEqual(
      git(dir, ['ls-tree', 'main:src'])
        .trim()
        .split('\n')
        .map((l) => {
          const [meta, name] = l.split('\t');
          const [, type, sha] = meta.split(/\s+/);
          return `${type === 'tree' ? 'dir' : 'file'} ${name} ${sha}`;
        }),
    );
  });
});

describe('contents writes', () => {
  test('create, update, delete and a multi-file commit on a new branch: git fetch shows them, fsck --strict clean', async () => {
    const { api, dir, url } = await setup();
    const created = await call<FileJ>(base, 'POST', `${api}/contents/docs/new.md`, {
      auth: auths.writer,
      json: { content: b64('new file\n'), message: 'add docs', branch: 'main' },
    });
    expect(created.status).toBe(201);
    const newSha = created.body.content?.sha;
    expect(created.body.content).toMatchObject({ path: 'docs/new.md', type: 'file', size: 9 });
    expect(created.body.commit.message).toBe('add docs\n');
    git(dir, ['fetch', '-q', url, 'main']);
    expect(git(dir, ['rev-parse', 'FETCH_HEAD']).trim()).toBe(created.body.commit.sha);
    expect(git(dir, ['rev-parse', 'FETCH_HEAD:docs/new.md']).trim()).toBe(newSha);
    expect(git(dir, ['rev-parse', 'FETCH_HEAD^']).trim()).toBe(git(dir, ['rev-parse', 'main']).trim());
    expect(git(dir, ['log', '-1', '--format=%an', 'FETCH_HEAD']).trim()).toBe(
      `Test ${users.writer.username}`,
    );

    const updated = await call<FileJ>(base, 'PUT', `${api}/contents/docs/new.md`, {
      auth: auths.writer,
      json: {
        content: b64('changed\n'),
        sha: newSha,
        author: { name: 'Grace', email: 'grace@example.com' },
        dates: { author: '2020-01-02T03:04:05+02:00', committer: '2020-01-02T03:04:05+02:00' },
      },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.commit.author).toEqual({
      name: 'Grace',
      email: 'grace@example.com',
      date: '2020-01-02T03:04:05+02:00',
    });
    const deleted = await call<FileJ>(base, 'DELETE', `${api}/contents/README.md`, {
      auth: auths.owner,
      json: { sha: git(dir, ['rev-parse', 'main:README.md']).trim() },
    });
    expect(deleted.status).toBe(200);
    expect(deleted.body.content).toBeNull();
    expect(deleted.body.commit.message).toBe('Delete README.md\n');

    const multi = await call<FilesJ>(base, 'POST', `${api}/contents`, {
      auth: auths.writer,
      json: {
        branch: 'main',
        new_branch: 'topic',
        message: 'several',
        files: [
          { operation: 'create', path: 'a/b/c.txt', content: b64('c\n') },
          {
            operation: 'rename',
            path: 'bin/run.sh',
            from_path: 'run.sh',
            sha: git(dir, ['rev-parse', 'main:run.sh']).trim(),
          },
          { operation: 'delete', path: 'src/main.c', sha: git(dir, ['rev-parse', 'main:src/main.c']).trim() },
        ],
      },
    });
    expect(multi.status).toBe(201);
    expect(multi.body.files.map((f) => f?.path ?? null)).toEqual(['a/b/c.txt', 'bin/run.sh', null]);
    git(dir, ['fetch', '-q', url, 'main:api-main', 'topic:api-topic']);
    expect(git(dir, ['rev-parse', 'api-main']).trim()).toBe(deleted.body.commit.sha);
    expect(git(dir, ['rev-parse', 'api-topic']).trim()).toBe(multi.body.commit.sha);
    expect(git(dir, ['rev-parse', 'api-topic^']).trim()).toBe(deleted.body.commit.sha);
    expect(git(dir, ['ls-tree', '-r', '--name-only', 'api-topic']).trim().split('\n')).toEqual([
      'a/b/c.txt',
      'bin/run.sh',
      'docs/new.md',
      'link',
    ]);
    expect(git(dir, ['ls-tree', 'api-topic', 'bin/run.sh'])).toMatch(/^100755 blob /);
    expect(git(dir, ['show', 'api-topic:docs/new.md'])).toBe('changed\n');
    git(dir, ['fsck', '--strict', '--no-dangling']);
    // A fresh clone with fsckObjects passes as well.
    const clone = dirs.make();
    git(clone, ['-c', 'transfer.fsckObjects=true', 'clone', '-q', url, '.']);
    expect(git(clone, ['rev-parse', 'origin/topic']).trim()).toBe(multi.body.commit.sha);
  });

  test('a stale sha, an existing file, a missing file or branch are refused and nothing moves', async () => {
    const { api, dir, url } = await setup();
    const tip = git(dir, ['rev-parse', 'main']).trim();
    const readmeSha = git(dir, ['rev-parse', 'main:README.md']).trim();
    const cases: [string, string, unknown, number][] = [
      [
        'PUT',
        'README.md',
        { content: b64('x'), sha: git(dir, ['rev-parse', 'main~1:README.md']).trim() },
        422,
      ],
      ['PUT', 'README.md', { content: b64('x') }, 422],
      ['POST', 'README.md', { content: b64('x') }, 422],
      ['DELETE', 'nope.md', { sha: readmeSha }, 404],
      ['POST', 'x.md', { content: b64('x'), branch: 'nope' }, 404],
      ['POST', 'x.md', { content: b64('x'), new_branch: 'side' }, 422],
      ['POST', 'x.md', { content: '***' }, 422],
      ['POST', '.git/config', { content: b64('x') }, 422],
      ['POST', 'src/main.c/x', { content: b64('x') }, 422],
    ];
    for (const [method, path, json, status] of cases) {
      const r = await call<{ message: string }>(base, method, `${api}/contents/${path}`, {
        auth: auths.writer,
        json,
      });
      expect([method, path, r.status]).toEqual([method, path, status]);
      expect(typeof r.body.message).toBe('string');
    }
    expect(git(dir, ['ls-remote', url, 'refs/heads/*']).trim().split('\n')).toEqual([
      `${tip}\trefs/heads/main`,
      `${git(dir, ['rev-parse', 'side']).trim()}\trefs/heads/side`,
    ]);
    // Positive control: the right sha updates.
    const ok = await call(base, 'PUT', `${api}/contents/README.md`, {
      auth: auths.writer,
      json: { content: b64('x'), sha: readmeSha },
    });
    expect(ok.status).toBe(200);
  });

  test("a protected branch refuses a contents write with the rule's reason; another branch takes it", async () => {
    const { api, dir, url } = await setup();
    const rule = await call(base, 'POST', `${api}/branch_protections`, {
      auth: auths.owner,
      json: { rule_name: 'main', enable_push: false },
    });
    expect(rule.status).toBe(201);
    const tip = git(dir, ['rev-parse', 'main']).trim();
    const refused = await call<{ message: string }>(base, 'POST', `${api}/contents/blocked.md`, {
      auth: auths.owner,
      json: { content: b64('x') },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/protected branch/);
    expect(refused.body.message).toContain("'main'");
    expect(git(dir, ['ls-remote', url, 'refs/heads/main']).split('\t')[0]).toBe(tip);
    const elsewhere = await call(base, 'POST', `${api}/contents/blocked.md`, {
      auth: auths.owner,
      json: { content: b64('x'), new_branch: 'feature' },
    });
    expect(elsewhere.status).toBe(201);
  });
});

describe('authorization', () => {
  const WHO: Who[] = ['anonymous', 'stranger', 'reader', 'writer', 'owner', 'scoped'];
  const READ_PUBLIC = { anonymous: 200, stranger: 200, reader: 200, writer: 200, owner: 200, scoped: 200 };
  const READ_PRIVATE = { anonymous: 404, stranger: 404, reader: 200, writer: 200, owner: 200, scoped: 200 };
  const WRITE_PUBLIC = { anonymous: 401, stranger: 403, reader: 403, writer: 201, owner: 201, scoped: 403 };
  const WRITE_PRIVATE = { anonymous: 404, stranger: 404, reader: 403, writer: 201, owner: 201, scoped: 403 };

  for (const vis of ['public', 'private'] as const) {
    test(`every endpoint on a ${vis} repository`, async () => {
      const { api, dir } = await setup({ private: vis === 'private' });
      const blob = git(dir, ['rev-parse', 'main:README.md']).trim();
      const reads = [
        'git/refs',
        'git/refs/heads/main',
        'git/commits/main',
        'commits/main',
        'git/trees/main',
        `git/blobs/${blob}`,
        'contents/README.md',
      ];
      const got: Record<string, Record<string, number>> = {};
      const want: Record<string, Record<string, number>> = {};
      for (const path of reads) {
        got[path] = {};
        want[path] = vis === 'public' ? READ_PUBLIC : READ_PRIVATE;
        for (const who of WHO)
          got[path][who] = (await call(base, 'GET', `${api}/${path}`, { auth: auths[who] })).status;
      }
      const writes: [string, string, (who: Who) => unknown][] = [
        ['POST', 'contents/{who}.txt', () => ({ content: b64('x') })],
        [
          'POST',
          'contents',
          (who) => ({ files: [{ operation: 'create', path: `multi-${who}.txt`, content: b64('x') }] }),
        ],
      ];
      for (const [method, path, json] of writes) {
        const key = `${method} ${path}`;
        got[key] = {};
        want[key] = vis === 'public' ? WRITE_PUBLIC : WRITE_PRIVATE;
        for (const who of WHO) {
          const r = await call(base, method, `${api}/${path.replace('{who}', who)}`, {
            auth: auths[who],
            json: json(who),
          });
          got[key][who] = r.status;
        }
      }
      // PUT and DELETE need the file's sha: the writer's and owner's files exist now.
      for (const method of ['PUT', 'DELETE'] as const) {
        const key = `${method} contents`;
        got[key] = {};
        want[key] = Object.fromEntries(
          Object.entries(vis === 'public' ? WRITE_PUBLIC : WRITE_PRIVATE).map(([k, v]) => [
            k,
            v === 201 ? 200 : v,
          ]),
        );
        for (const who of WHO) {
          const file = who === 'writer' || who === 'owner' ? `${who}.txt` : 'README.md';
          const current = await call<{ sha: string }>(base, 'GET', `${api}/contents/${file}`, {
            auth: auths.owner,
          });
          const json =
            method === 'PUT'
              ? { content: b64(`${method}`), sha: current.body.sha }
              : { sha: current.body.sha };
          got[key][who] = (
            await call(base, method, `${api}/contents/${file}`, { auth: auths[who], json })
          ).status;
        }
      }
      expect(got).toEqual(want);
    });
  }
});
