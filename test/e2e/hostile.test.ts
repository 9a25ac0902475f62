/**
 * Hostile and broken fetch requests against the real server: each gets a git-style `ERR`
 * packet or a 4xx, never a 500, and never an object that no ref reaches.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authUrl, createRepo, createUser, type GitUser } from '../helpers/accounts';
import { git, makeRepo, makeTempDir, removeDir } from '../helpers/git';
import { gitAsync, gitOk } from '../helpers/node-git-server';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
const dirs: string[] = [];
let user: GitUser;
let endpoint: string;
let tip: string;
let secretCommit: string;
let secretBlob: string;

const pkt = (s: string) => `${(s.length + 4).toString(16).padStart(4, '0')}${s}`;
const FLUSH = '0000';
const DELIM = '0001';

async function post(
  body: string | Uint8Array,
  opts: { v2?: boolean; contentType?: string; encoding?: string } = {},
): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = {
    'Content-Type': opts.contentType ?? 'application/x-git-upload-pack-request',
  };
  if (opts.v2) headers['Git-Protocol'] = 'version=2';
  if (opts.encoding) headers['Content-Encoding'] = opts.encoding;
  const payload = typeof body === 'string' ? body : new Blob([new Uint8Array(body)]);
  const res = await fetch(`${endpoint}/git-upload-pack`, { method: 'POST', headers, body: payload });
  // latin1 keeps pack bytes one-to-one, so "PACK" is found if a pack was sent.
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { status: res.status, text: Buffer.from(bytes).toString('latin1') };
}

/** The request was refused the git way: an ERR packet (or a 4xx), and no pack at all. */
function refused(r: { status: number; text: string }, message?: RegExp): void {
  expect(r.status).toBeLessThan(500);
  expect(r.text).not.toContain('PACK');
  if (r.status === 200) {
    expect(r.text).toMatch(/^[0-9a-f]{4}ERR /m);
    if (message) expect(r.text).toMatch(message);
  } else expect(r.status).toBeGreaterThanOrEqual(400);
}

const v0Fetch = (want: string, extra: string[] = [], caps = 'side-band-64k ofs-delta') =>
  pkt(`want ${want} ${caps}\n`) + extra.map(pkt).join('') + FLUSH + pkt('done\n');
const v2Fetch = (args: string[], caps: string[] = []) =>
  pkt('command=fetch\n') + caps.map(pkt).join('') + DELIM + args.map(pkt).join('') + FLUSH;

beforeAll(async () => {
  user = await createUser(base, 'hostile');
  await createRepo(base, user, 'hostile');
  const src = makeRepo(20);
  dirs.push(src);
  const push = authUrl(base, user, user.username, 'hostile');
  await gitOk(src, ['push', '-q', push, 'main']);
  tip = git(src, ['rev-parse', 'main']).trim();
  // A branch with a secret, pushed and deleted: its objects stay stored, but no ref reaches them.
  git(src, ['checkout', '-q', '-b', 'secret']);
  git(src, ['rm', '-q', '-r', '--cached', '.']);
  const blobFile = join(src, 'secret.txt');
  writeFileSync(blobFile, `secret ${Date.now()}\n`);
  git(src, ['add', 'secret.txt']);
  git(src, ['commit', '-q', '-m', 'secret']);
  secretCommit = git(src, ['rev-parse', 'HEAD']).trim();
  secretBlob = git(src, ['rev-parse', 'HEAD:secret.txt']).trim();
  await gitOk(src, ['push', '-q', push, 'secret']);
  await gitOk(src, ['push', '-q', push, ':secret']);
  endpoint = `${base}/${user.username}/hostile.git`;
});
afterAll(() => {
  for (const d of dirs) removeDir(d);
});

describe('wants', () => {
  it('a missing object: ERR not our ref (v0 and v2)', async () => {
    const missing = '1234567890abcdef1234567890abcdef12345678';
    refused(await post(v0Fetch(missing)), /not our ref/);
    refused(await post(v2Fetch([`want ${missing}`, 'done']), { v2: true }), /not our ref/);
  });

  it('a stored commit and blob no ref reaches are never served', async () => {
    for (const oid of [secretCommit, secretBlob]) {
      refused(await post(v0Fetch(oid)), /not our ref/);
      refused(await post(v2Fetch([`want ${oid}`, 'done']), { v2: true }), /not our ref/);
      refused(await post(v2Fetch([`want ${oid}`, 'filter blob:none', 'done']), { v2: true }), /not our ref/);
    }
    // And git itself is told so.
    const dir = makeTempDir();
    dirs.push(dir);
    git(dir, ['init', '-q', '--bare', 'c']);
    const r = await gitAsync(join(dir, 'c'), ['fetch', endpoint, secretCommit]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/not our ref|remote error/);
  });

  it('an unknown capability is ignored, as git does; the pack comes', async () => {
    const r = await post(v0Fetch(tip, [], 'side-band-64k frobnicate=1 ofs-delta'));
    expect(r.status).toBe(200);
    expect(r.text).toContain('PACK');
  });
});

describe('malformed requests', () => {
  const cases: [string, () => Promise<{ status: number; text: string }>][] = [
    ['a bad pkt-line header', () => post(`zzzzwant ${tip}\n${FLUSH}`)],
    ['a truncated body', () => post(pkt(`want ${tip} side-band-64k\n`).slice(0, 30))],
    [
      'a truncated v2 command',
      () => post(pkt('command=fetch\n') + DELIM + pkt(`want ${tip}\n`), { v2: true }),
    ],
    ['a too-short pkt length', () => post(`0002${FLUSH}`)],
    ['a bad object id', () => post(v0Fetch('not-an-oid'))],
    ['deepen -1', () => post(v0Fetch(tip, ['deepen -1']))],
    ['deepen and deepen-since together', () => post(v0Fetch(tip, ['deepen 1', 'deepen-since 1']))],
    [
      'deepen-not of a missing ref',
      () => post(v2Fetch([`want ${tip}`, 'deepen-not nope', 'done']), { v2: true }),
    ],
    [
      'an unsupported filter',
      () => post(v2Fetch([`want ${tip}`, 'filter sparse:oid=abc', 'done']), { v2: true }),
    ],
    ['a want-ref of a missing ref', () => post(v2Fetch(['want-ref refs/heads/nope', 'done']), { v2: true })],
    ['an unknown v2 command', () => post(`${pkt('command=frobnicate\n')}${FLUSH}`, { v2: true })],
    ['an unknown fetch argument', () => post(v2Fetch([`want ${tip}`, 'frobnicate', 'done']), { v2: true })],
    [
      'sha256 object format',
      () => post(v2Fetch([`want ${tip}`, 'done'], ['object-format=sha256\n']), { v2: true }),
    ],
    ['a body that is not gzip', () => post(v0Fetch(tip), { encoding: 'gzip' })],
    ['a truncated gzip body', () => post(gzipSync(v0Fetch(tip)).subarray(0, 20), { encoding: 'gzip' })],
    ['an unknown content encoding', () => post(v0Fetch(tip), { encoding: 'br' })],
    ['a wrong content type', () => post(v0Fetch(tip), { contentType: 'text/plain' })],
  ];
  for (const [name, run] of cases) {
    it(`${name}: ERR or 4xx, never a 500 or a pack`, async () => {
      refused(await run());
    });
  }

  it('an unknown service in info/refs is a 403', async () => {
    const res = await fetch(`${endpoint}/info/refs?service=git-frobnicate`);
    expect(res.status).toBe(403);
    await res.arrayBuffer();
  });
});
