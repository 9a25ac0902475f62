// A raw download of a large file streams out of the repository's object: the bytes (checked by
// their SHA-256) arrive whole through the page URL and the API, for an object stored whole and for
// one stored as a delta. Memory is not measured here (see the heap-cap setup of the e2e server:
// the isolate's heap is capped near a Worker's, so a path that held several copies fails there).
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { authUrl, createRepo, createUser, type GitUser } from '../helpers/accounts';
import { git, gitAsync } from '../helpers/git';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
const work = mkdtempSync(join(tmpdir(), 'gitflare-raw-large-'));
const SIZE = 40 * 1024 * 1024;
let user: GitUser;
let whole: Buffer;
let edited: Buffer;
let first: string;

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** SHA-256 and length of a response body, read as a stream (never whole in the test either). */
async function digestOf(res: Response): Promise<{ sha: string; length: number }> {
  const h = createHash('sha256');
  let length = 0;
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    h.update(value);
    length += value.length;
  }
  return { sha: h.digest('hex'), length };
}

beforeAll(async () => {
  user = await createUser(base, 'rawbig');
  await createRepo(base, user, 'big', { private: true });
  const src = join(work, 'src');
  git(work, ['init', '-q', '-b', 'main', src]);
  // Random bytes do not compress: the pack holds ~40 MB of zlib that must be inflated in pieces.
  whole = randomBytes(SIZE);
  writeFileSync(join(src, 'big.bin'), whole);
  writeFileSync(join(src, 'small.txt'), 'small\n');
  git(src, ['add', '.']);
  git(src, ['commit', '-q', '-m', 'big']);
  await gitAsync(src, ['push', '-q', authUrl(base, user, user.username, 'big'), 'main']);
  first = git(src, ['rev-parse', 'HEAD']).trim();
  // A second version of the file that git sends as a delta against the first.
  edited = Buffer.from(whole);
  edited.write('edited in the middle', SIZE / 2);
  writeFileSync(join(src, 'big.bin'), edited);
  git(src, ['commit', '-q', '-am', 'edit']);
  await gitAsync(src, ['push', '-q', authUrl(base, user, user.username, 'big'), 'main']);
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

const auth = () => ({ Authorization: `token ${user.token}` });

test('a 40 MB file stored whole arrives byte for byte (page URL and API)', async () => {
  const page = await fetch(`${base}/${user.username}/big/raw/${first}/big.bin`, { headers: auth() });
  expect(page.status).toBe(200);
  expect(page.headers.get('Content-Type')).toBe('application/octet-stream');
  expect(await digestOf(page)).toEqual({ sha: sha256(whole), length: SIZE });

  const api = await fetch(`${base}/api/v1/repos/${user.username}/big/raw/big.bin?ref=${first}`, {
    headers: auth(),
  });
  expect(api.status).toBe(200);
  expect(await digestOf(api)).toEqual({ sha: sha256(whole), length: SIZE });
});

test('the edited version (a delta) arrives byte for byte; small files still work', async () => {
  const res = await fetch(`${base}/${user.username}/big/raw/main/big.bin`, { headers: auth() });
  expect(res.status).toBe(200);
  expect(await digestOf(res)).toEqual({ sha: sha256(edited), length: SIZE });
  const small = await fetch(`${base}/${user.username}/big/raw/main/small.txt`, { headers: auth() });
  expect(small.headers.get('Content-Type')).toBe('text/plain; charset=utf-8');
  expect(await small.text()).toBe('small\n');
});

test('a HEAD request answers the headers without the body', async () => {
  const res = await fetch(`${base}/${user.username}/big/raw/${first}/big.bin`, {
    method: 'HEAD',
    headers: auth(),
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('Content-Length')).toBe(String(SIZE));
});
