// A history with the marks old tools left in real projects (a tree with a zero-padded `040000`
// mode, a commit with a bad time zone, one with no space before the date), pushed with git: the
// push is accepted with git's warnings, and clones back with the very same objects.
import { mkdtempSync, rmSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { authUrl, createRepo, createUser, type GitUser } from '../helpers/accounts';
import { git, gitTry } from '../helpers/git';
import { treeEntry } from '../helpers/packs';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
const work = mkdtempSync(join(tmpdir(), 'gitflare-historical-'));
const source = join(work, 'source.git');
let user: GitUser;

afterAll(() => rmSync(work, { recursive: true, force: true }));

function write(type: string, data: string | Uint8Array): string {
  return git(source, ['hash-object', '--literally', '-t', type, '-w', '--stdin'], data).trim();
}

function allObjects(dir: string): string[] {
  return git(dir, [
    'cat-file',
    '--batch-all-objects',
    '--batch-check=%(objectname) %(objecttype) %(objectsize)',
  ])
    .trim()
    .split('\n')
    .sort();
}

/** What `git fsck` reports (its exit code depends on loose or packed objects, not compared). */
function fsck(dir: string): string[] {
  const r = gitTry(dir, ['fsck', '--full', '--no-progress', '--no-dangling']);
  return `${r.stdout}${r.stderr}`.trim().split('\n').sort();
}

/** GET on a fresh connection (a kept-alive one may be closed by the server between tests' steps). */
function getPage(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    httpGet(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

const who = (rest: string) => `A U Thor <author@example.com>${rest}`;
let zeroPadded = '';
let badTimezone = '';
let noSpace = '';
let tip = '';

beforeAll(async () => {
  user = await createUser(base, 'historian');
  await createRepo(base, user, 'old');
  git(work, ['init', '-q', '--bare', '-b', 'main', source]);
  const blob = write('blob', 'hello\n');
  const sub = git(source, ['mktree'], `100644 blob ${blob}\tfile\n`).trim();
  // Old git wrote subtrees as `040000`; today's git writes `40000`.
  zeroPadded = write(
    'tree',
    Buffer.concat([treeEntry('100644', 'a.txt', blob), treeEntry('040000', 'dir', sub)]),
  );
  const first = write(
    'commit',
    `tree ${zeroPadded}\nauthor ${who(' 1112911993 +0200')}\ncommitter ${who(' 1112911993 +0200')}\n\nzero-padded\n`,
  );
  badTimezone = write(
    'commit',
    `tree ${zeroPadded}\nparent ${first}\nauthor ${who(' 1112912000 +0200')}\ncommitter ${who(' 1112912000 +02')}\n\nbad time zone\n`,
  );
  noSpace = write(
    'commit',
    `tree ${sub}\nparent ${badTimezone}\nauthor ${who('1112913000 +0200')}\ncommitter ${who(' 1112913000 +0200')}\n\nno space before the date\n`,
  );
  // An ordinary commit on top, as a project goes on.
  tip = git(source, ['commit-tree', sub, '-p', noSpace, '-m', 'today'], '').trim();
  git(source, ['update-ref', 'refs/heads/main', tip]);
});

test('a push of historical objects is accepted with warnings, clones back identical and shows', async () => {
  const url = authUrl(base, user, user.username, 'old');
  const pushed = gitTry(source, ['push', url, 'main']);
  expect(pushed.code, pushed.stderr).toBe(0);
  // git's own wording, relayed on the side-band as `remote:` lines.
  expect(pushed.stderr).toContain(
    `remote: warning: object ${zeroPadded}: zeroPaddedFilemode: contains zero-padded file modes`,
  );
  expect(pushed.stderr).toContain(
    `remote: warning: object ${badTimezone}: badTimezone: invalid author/committer line - bad time zone`,
  );
  expect(pushed.stderr).toContain(
    `remote: warning: object ${noSpace}: missingSpaceBeforeDate: invalid author/committer line - missing space before date`,
  );
  expect(git(work, ['ls-remote', url])).toBe(`${tip}\tHEAD\n${tip}\trefs/heads/main\n`);

  const expected = fsck(source);
  // The source itself has exactly these findings (so the comparison below can fail).
  expect(expected).toContain(
    `error in commit ${badTimezone}: badTimezone: invalid author/committer line - bad time zone`,
  );
  expect(expected).toContain(
    `warning in tree ${zeroPadded}: zeroPaddedFilemode: contains zero-padded file modes`,
  );
  for (const version of [2, 0]) {
    const dest = join(work, `clone-v${version}.git`);
    git(work, ['-c', `protocol.version=${version}`, 'clone', '-q', '--mirror', url, dest]);
    // Same ids (hashes of the bytes), sizes and types: the objects are byte-identical.
    expect(allObjects(dest)).toEqual(allObjects(source));
    expect(git(dest, ['rev-parse', 'refs/heads/main']).trim()).toBe(tip);
    expect(fsck(dest)).toEqual(expected);
  }

  // Their pages show them (odd identities are read as well as they parse).
  const repo = `${base}/${user.username}/old`;
  const pages = [
    [`${repo}/commits/main`, 'no space before the date'],
    [`${repo}/commit/${noSpace}`, 'no space before the date'],
    [`${repo}/commit/${badTimezone}`, 'bad time zone'],
    [`${repo}/tree/${badTimezone}/dir`, 'file'],
  ] as const;
  for (const [page, text] of pages) {
    const { status, body } = await getPage(page);
    expect(status, page).toBe(200);
    expect(body, page).toContain(text);
  }
});
