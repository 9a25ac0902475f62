// A representative part of the fsck corpus and of the corrupt packs, pushed to the real server:
// refused with git's report-status, and the repository stays exactly as it was (same refs,
// refused objects not fetchable, a clone passes `git fsck --full --strict`).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { authUrl, createRepo, createUser, type GitUser } from '../helpers/accounts';
import { acceptedCases, rejectedCases, warnedCases } from '../helpers/fsck-corpus';
import { git, gitTry } from '../helpers/git';
import { buildPack, concat, obj, packOf, pushBody, rawPush, treeEntry, wholeEntry } from '../helpers/packs';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
let user: GitUser;
let auth: Record<string, string>;
const work = mkdtempSync(join(tmpdir(), 'gitflare-integrity-'));

const SUBSET = [
  'commit-missing-tree',
  'commit-no-space-before-date-then-bad-email',
  'commit-zero-padded-date',
  'commit-nul-in-header',
  'tree-dotgit-upper',
  'tree-dotgit-ntfs-short',
  'tree-dotgit-hfs-zwnj',
  'tree-dotdot',
  'tree-unsorted',
  'tree-duplicate',
  'tree-zero-padded-mode-and-dotgit',
  'tree-gitmodules-symlink',
  'tree-gitmodules-url-option',
  'tree-gitmodules-name-dotdot',
  'tree-gitattributes-long-line',
  'tag-bad-type',
];

beforeAll(async () => {
  user = await createUser(base, 'integrity');
  auth = { Authorization: `Basic ${Buffer.from(`${user.username}:${user.token}`).toString('base64')}` };
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

function lsRemote(url: string): string {
  return git(work, ['ls-remote', url]);
}

test('refuses crafted objects as git does and keeps the repository unchanged', async () => {
  await createRepo(base, user, 'fsck');
  const url = `${base}/${user.username}/fsck.git`;
  const cloneUrl = authUrl(base, user, user.username, 'fsck');
  // A good first push, so "unchanged" has something to compare.
  const plain = acceptedCases().find((c) => c.name === 'commit-plain');
  if (!plain) throw new Error('corpus lacks commit-plain');
  const first = await rawPush(
    url,
    pushBody([{ name: 'refs/heads/main', newOid: plain.tip }], packOf(plain.objects)),
    auth,
  );
  expect(first.status).toEqual(['unpack ok', 'ok refs/heads/main']);
  const before = lsRemote(cloneUrl);

  const cases = rejectedCases().filter((c) => SUBSET.includes(c.name));
  expect(cases.length).toBe(SUBSET.length);
  for (const c of cases) {
    const r = await rawPush(url, pushBody([{ name: c.ref, newOid: c.tip }], packOf(c.objects)), auth);
    expect(r.status, `${c.name}: ${r.messages}`).toEqual([
      'unpack index-pack abnormal exit',
      `ng ${c.ref} unpacker error`,
    ]);
    expect(r.messages).toMatch(/error: object [0-9a-f]{40}: \w+: /);
  }
  const bad = rejectedCases()[0];
  const cut = packOf(bad.objects);
  const packs: Uint8Array[] = [
    cut.subarray(0, cut.length - 10),
    buildPack(bad.objects.map(wholeEntry), { trailer: new Uint8Array(20) }),
    concat([cut, new Uint8Array([1, 2, 3])]),
  ];
  for (const pack of packs) {
    const r = await rawPush(url, pushBody([{ name: 'refs/heads/corrupt', newOid: bad.tip }], pack), auth);
    expect(r.status).toEqual(['unpack index-pack abnormal exit', 'ng refs/heads/corrupt unpacker error']);
  }

  expect(lsRemote(cloneUrl)).toBe(before);
  const dir = join(work, 'clone');
  git(work, ['clone', '-q', cloneUrl, dir]);
  git(dir, ['fsck', '--full', '--strict']);
  // A refused commit cannot be fetched by id.
  const victim = cases[0];
  const fetched = gitTry(dir, ['fetch', '-q', 'origin', victim.tip]);
  expect(fetched.code).not.toBe(0);
  expect(gitTry(dir, ['cat-file', '-e', victim.tip]).code).not.toBe(0);
});

test('accepts the odd objects git accepts, and historical findings with a warning', async () => {
  await createRepo(base, user, 'odd');
  const url = `${base}/${user.username}/odd.git`;
  for (const c of acceptedCases()) {
    const r = await rawPush(url, pushBody([{ name: c.ref, newOid: c.tip }], packOf(c.objects)), auth);
    expect(r.status, `${c.name}: ${r.messages}`).toEqual(['unpack ok', `ok ${c.ref}`]);
  }
  for (const c of warnedCases()) {
    const r = await rawPush(url, pushBody([{ name: c.ref, newOid: c.tip }], packOf(c.objects)), auth);
    expect(r.status, `${c.name}: ${r.messages}`).toEqual(['unpack ok', `ok ${c.ref}`]);
    expect(r.messages).toMatch(
      /warning: object [0-9a-f]{40}: (badTimezone|missingSpaceBeforeDate|zeroPaddedFilemode): /,
    );
  }
});

test('git push of a tree with .git is refused with git messages, and nothing lands', async () => {
  await createRepo(base, user, 'cli');
  const cloneUrl = authUrl(base, user, user.username, 'cli');
  const src = join(work, 'cli');
  git(work, ['init', '-q', '-b', 'main', src]);
  const blob = git(src, ['hash-object', '-w', '--stdin'], 'x\n').trim();
  const tree = git(
    src,
    ['hash-object', '-t', 'tree', '-w', '--literally', '--stdin'],
    treeEntry('100644', '.GiT', blob),
  ).trim();
  expect(tree).toBe(obj('tree', treeEntry('100644', '.GiT', blob)).oid);
  const commit = git(src, ['commit-tree', tree, '-m', 'evil']).trim();
  git(src, ['update-ref', 'refs/heads/main', commit]);
  const r = gitTry(src, ['push', cloneUrl, 'main']);
  expect(r.code).not.toBe(0);
  expect(r.stderr).toContain("hasDotgit: contains '.git'");
  expect(r.stderr).toContain('remote unpack failed: index-pack abnormal exit');
  expect(lsRemote(cloneUrl)).toBe('');
});
