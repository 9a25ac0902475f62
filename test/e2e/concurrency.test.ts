// Racing pushes to one repository: the Durable Object interleaves their bodies, and the ref
// update's compare-and-swap must let exactly one of N non-fast-forward pushes from one base win,
// tell the others why, and let pushes to different branches all land. Pushes are admitted one at
// a time (storage/admission.ts): a second push waits for the first, reads do not; clones served
// from the stored pack run beside a push, clones that walk wait for it.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { authUrl, createRepo, createUser, type GitUser } from '../helpers/accounts';
import { git, makeRepo } from '../helpers/git';
import { gitStats } from '../helpers/maintenance';
import { gitAsync } from '../helpers/node-git-server';
import { packRange, pushBody, rawPush, slowPush } from '../helpers/packs';
import { serverUrl } from '../helpers/server';
import { waitFor } from '../helpers/wait';

const base = serverUrl();
const N = 8;
let user: GitUser;
let auth: Record<string, string>;
const work = mkdtempSync(join(tmpdir(), 'gitflare-race-'));

beforeAll(async () => {
  user = await createUser(base, 'race');
  auth = { Authorization: `Basic ${Buffer.from(`${user.username}:${user.token}`).toString('base64')}` };
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A repository with `main` at a base commit, pushed to `name`; returns the local path and base. */
async function seeded(name: string): Promise<{ src: string; baseOid: string; url: string }> {
  await createRepo(base, user, name);
  const url = authUrl(base, user, user.username, name);
  const src = join(work, name);
  git(work, ['init', '-q', '-b', 'main', src]);
  git(src, ['commit', '-q', '--allow-empty', '-m', 'base']);
  git(src, ['push', '-q', url, 'main']);
  return { src, baseOid: git(src, ['rev-parse', 'main']).trim(), url };
}

/** N sibling commits on top of the base, each with its own file, and a pack of each. */
function siblings(src: string, baseOid: string): Array<{ oid: string; pack: Uint8Array }> {
  const out: Array<{ oid: string; pack: Uint8Array }> = [];
  for (let i = 0; i < N; i++) {
    const blob = git(src, ['hash-object', '-w', '--stdin'], `racer ${i}\n${'x'.repeat(20_000 + i)}\n`).trim();
    const tree = git(src, ['mktree'], `100644 blob ${blob}\tracer-${i}.txt\n`).trim();
    const oid = git(src, ['commit-tree', tree, '-p', baseOid, '-m', `racer ${i}`]).trim();
    const pack = packRange(src, oid, baseOid);
    out.push({ oid, pack });
  }
  return out;
}

test(`exactly one of ${N} racing non-fast-forward pushes from one base wins`, async () => {
  const { src, baseOid } = await seeded('race');
  const racers = siblings(src, baseOid);
  const url = `${base}/${user.username}/race.git`;
  const reports = await Promise.all(
    racers.map((r) =>
      rawPush(url, pushBody([{ name: 'refs/heads/main', oldOid: baseOid, newOid: r.oid }], r.pack), auth),
    ),
  );
  const winners = reports.filter((r) => r.status[1] === 'ok refs/heads/main');
  expect(winners.length).toBe(1);
  const winner = racers[reports.indexOf(winners[0])].oid;
  for (const r of reports) {
    expect(r.status[0]).toBe('unpack ok');
    if (r !== winners[0]) {
      expect(r.status[1]).toBe(
        `ng refs/heads/main cannot lock ref 'refs/heads/main': is at ${winner} but expected ${baseOid}`,
      );
    }
  }
  const ls = git(work, ['ls-remote', authUrl(base, user, user.username, 'race'), 'refs/heads/main']);
  expect(ls).toBe(`${winner}\trefs/heads/main\n`);
  const dir = join(work, 'race-clone');
  git(work, ['clone', '-q', authUrl(base, user, user.username, 'race'), dir]);
  git(dir, ['fsck', '--full', '--strict']);
  // The losers' objects are not reachable, hence not fetchable.
  const loser = racers.find((r) => r.oid !== winner);
  expect((await gitAsync(dir, ['fetch', '-q', 'origin', loser?.oid ?? ''])).code).not.toBe(0);
});

test(`${N} git clients pushing one branch at once: one succeeds, the others are told why`, async () => {
  const { baseOid, url } = await seeded('clients');
  const clones: string[] = [];
  for (let i = 0; i < N; i++) {
    const dir = join(work, `client-${i}`);
    git(work, ['clone', '-q', url, dir]);
    git(dir, ['checkout', '-q', '-B', 'main', baseOid]);
    git(dir, ['commit', '-q', '--allow-empty', '-m', `client ${i}`]);
    clones.push(dir);
  }
  const runs = await Promise.all(
    clones.map((dir) => gitAsync(dir, ['push', '--porcelain', 'origin', 'main'])),
  );
  expect(runs.filter((r) => r.code === 0).length).toBe(1);
  // The winner's commit is the branch's tip.
  const winner = clones[runs.findIndex((r) => r.code === 0)];
  const tip = git(winner, ['rev-parse', 'HEAD']).trim();
  expect(git(work, ['ls-remote', url, 'refs/heads/main'])).toBe(`${tip}\trefs/heads/main\n`);
  for (const r of runs.filter((x) => x.code !== 0)) {
    // Either the server's compare-and-swap refused it, or the client saw the new tip first.
    expect(`${r.stdout}${r.stderr}`).toMatch(/cannot lock ref|fetch first|non-fast-forward|rejected/);
  }
});

test(`${N} parallel pushes to different branches all land`, async () => {
  const { src, baseOid } = await seeded('fanout');
  const racers = siblings(src, baseOid);
  const url = `${base}/${user.username}/fanout.git`;
  const reports = await Promise.all(
    racers.map((r, i) => rawPush(url, pushBody([{ name: `refs/heads/b${i}`, newOid: r.oid }], r.pack), auth)),
  );
  for (const [i, r] of reports.entries()) expect(r.status).toEqual(['unpack ok', `ok refs/heads/b${i}`]);
  const ls = git(work, ['ls-remote', '--heads', authUrl(base, user, user.username, 'fanout')]);
  for (const [i, r] of racers.entries()) expect(ls).toContain(`${r.oid}\trefs/heads/b${i}\n`);
  const dir = join(work, 'fanout-clone');
  git(work, ['clone', '-q', '--mirror', authUrl(base, user, user.username, 'fanout'), dir]);
  git(dir, ['fsck', '--full', '--strict']);
});

test('a second push waits for the one being received, then lands; reading refs does not wait', async () => {
  const { src, baseOid, url } = await seeded('queued');
  // Packs of incompressible content, so that half of one is more than the object reads at once.
  const [first, second] = [1, 2].map((i) => {
    const blob = git(src, ['hash-object', '-w', '--stdin'], randomBytes(300_000).toString('base64')).trim();
    const tree = git(src, ['mktree'], `100644 blob ${blob}\tbig-${i}.txt\n`).trim();
    const oid = git(src, ['commit-tree', tree, '-p', baseOid, '-m', `big ${i}`]).trim();
    return { oid, pack: packRange(src, oid, baseOid) };
  });
  const stats = () => gitStats(base, user, 'queued');
  // The first push sends its commands and half its pack, then holds the rest.
  const held = slowPush(url, pushBody([{ name: 'refs/heads/first', newOid: first.oid }], first.pack));
  await held.receiving;
  await waitFor('the first push to be admitted', async () => (await stats()).admission.running.push === 1);

  git(src, ['branch', 'second', second.oid]);
  // --progress: as from a terminal (a client without progress sends `quiet` and is told nothing).
  const pushing = gitAsync(src, ['push', '--progress', url, 'second']);
  const queued = await waitFor('the second push to wait', async () => {
    const s = await stats();
    return s.admission.waiting === 1 ? s : undefined;
  });
  expect(queued.admission.running).toEqual({ push: 1 });
  // Light requests are not queued behind the pushes: refs are listed while both are pending.
  expect(git(work, ['ls-remote', url])).toBe(`${baseOid}\tHEAD\n${baseOid}\trefs/heads/main\n`);

  const report = await held.finish();
  expect(report).toContain('ok refs/heads/first');
  const run = await pushing;
  expect(run.code).toBe(0);
  expect(run.stderr).toContain('remote: waiting for another push to finish');
  const ls = git(work, ['ls-remote', '--heads', url]);
  expect(ls).toContain(`${first.oid}\trefs/heads/first\n`);
  expect(ls).toContain(`${second.oid}\trefs/heads/second\n`);
  const after = await stats();
  expect(after.admission).toMatchObject({ reserved_mib: 0, running: {}, waiting: 0 });
  expect(after.admission.waited).toBeGreaterThanOrEqual(1);
});

test('12 parallel clones beside a push in flight all complete and verify; a walking clone waits, then lands too; the push lands', async () => {
  const name = 'busy';
  await createRepo(base, user, name);
  const url = authUrl(base, user, user.username, name);
  // A modest history (merges, renames, tags, binary files), pushed whole: a stored-pack clone.
  const src = makeRepo(150);
  git(src, ['push', '-q', url, '+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*']);
  const want = git(src, ['for-each-ref', '--format=%(objectname) %(refname)', 'refs/heads', 'refs/tags']);
  const mainOid = git(src, ['rev-parse', 'main']).trim();
  // The push held in flight: a new branch whose pack is half sent.
  const blob = git(src, ['hash-object', '-w', '--stdin'], randomBytes(1_200_000).toString('base64')).trim();
  const tree = git(src, ['mktree'], `100644 blob ${blob}\tbig.txt\n`).trim();
  const pushed = git(src, ['commit-tree', tree, '-p', mainOid, '-m', 'big']).trim();
  const held = slowPush(
    url,
    pushBody([{ name: 'refs/heads/big', newOid: pushed }], packRange(src, pushed, mainOid)),
  );
  const stats = () => gitStats(base, user, name);
  let seen = '';
  await waitFor(
    'the push to be admitted',
    async () => {
      const s = await stats();
      seen = JSON.stringify(s.admission);
      return s.admission.running.push === 1;
    },
    { timeoutMs: 60_000, detail: () => seen },
  );

  // Full clones are not held up by the push: all of them finish while it is still open.
  const dirs = Array.from({ length: 12 }, (_, i) => join(work, `busy-${i}`));
  const clones = await Promise.all(dirs.map((d) => gitAsync(work, ['clone', '-q', '--bare', url, d])));
  for (const [i, r] of clones.entries()) expect(r.code, `clone ${i}: ${r.stderr}`).toBe(0);
  for (const d of dirs) {
    expect(git(d, ['for-each-ref', '--format=%(objectname) %(refname)', 'refs/heads', 'refs/tags'])).toBe(
      want,
    );
    git(d, ['fsck', '--full', '--strict', '--no-dangling']);
  }
  expect((await stats()).admission.running.push).toBe(1);

  // A clone that walks the history (shallow) does not fit beside the push: it waits, then lands.
  const shallowDir = join(work, 'busy-shallow');
  const shallow = gitAsync(work, ['clone', '-q', '--bare', '--depth', '1', url, shallowDir]);
  await waitFor('the walking clone to wait', async () => (await stats()).admission.waiting === 1);

  const report = await held.finish();
  expect(report).toContain('ok refs/heads/big');
  const walked = await shallow;
  expect(walked.code, walked.stderr).toBe(0);
  expect(git(shallowDir, ['rev-parse', 'main']).trim()).toBe(mainOid);
  git(shallowDir, ['fsck', '--connectivity-only', '--no-dangling']);
  expect(git(work, ['ls-remote', url, 'refs/heads/big'])).toBe(`${pushed}\trefs/heads/big\n`);
  expect((await stats()).admission).toMatchObject({ reserved_mib: 0, running: {}, waiting: 0 });
  rmSync(src, { recursive: true, force: true });
});

test('an archive asked for while a push is received waits for it, then downloads; a cancelled one gives its share back', async () => {
  const { src, url } = await seeded('archived');
  const readme = git(src, ['hash-object', '-w', '--stdin'], 'archived readme\n').trim();
  const tree = git(src, ['mktree'], `100644 blob ${readme}\tREADME.md\n`).trim();
  const tip = git(src, ['commit-tree', tree, '-p', 'HEAD', '-m', 'readme']).trim();
  git(src, ['push', '-q', url, `${tip}:refs/heads/main`]);
  const blob = git(src, ['hash-object', '-w', '--stdin'], randomBytes(300_000).toString('base64')).trim();
  const bigTree = git(src, ['mktree'], `100644 blob ${blob}\tbig.txt\n`).trim();
  const big = git(src, ['commit-tree', bigTree, '-p', tip, '-m', 'big']).trim();
  const stats = () => gitStats(base, user, 'archived');
  const archive = async (): Promise<string> => {
    const res = await fetch(`${base}/${user.username}/archived/archive/main.tar.gz`, { headers: auth });
    expect(res.status).toBe(200);
    return gunzipSync(Buffer.from(await res.arrayBuffer())).toString('latin1');
  };

  // Positive control: with nothing heavy running, an archive downloads without waiting.
  expect(await archive()).toContain('archived readme\n');
  expect((await stats()).admission).toMatchObject({ reserved_mib: 0, waited: 0 });

  const held = slowPush(url, pushBody([{ name: 'refs/heads/big', newOid: big }], packRange(src, big, tip)));
  await held.receiving;
  await waitFor('the push to be admitted', async () => (await stats()).admission.running.push === 1);
  const downloading = archive();
  const queued = await waitFor('the archive to wait', async () => {
    const s = await stats();
    return s.admission.waiting === 1 ? s : undefined;
  });
  expect(queued.admission.running).toEqual({ push: 1 });
  expect(await held.finish()).toContain('ok refs/heads/big');
  const body = await downloading;
  expect(body).toContain('README.md');
  expect(body).toContain('archived readme\n');
  await waitFor(
    'the archive to give its share back',
    async () => (await stats()).admission.reserved_mib === 0,
  );
  expect((await stats()).admission).toMatchObject({ running: {}, waiting: 0, waited: 1 });

  // A download dropped after its first bytes releases the archive's share too.
  const aborter = new AbortController();
  const res = await fetch(`${base}/${user.username}/archived/archive/big.tar.gz`, {
    headers: auth,
    signal: aborter.signal,
  });
  expect(res.status).toBe(200);
  await res.body?.getReader().read();
  aborter.abort();
  await waitFor('the cancelled archive to give its share back', async () => {
    const s = await stats();
    return s.admission.reserved_mib === 0 && Object.keys(s.admission.running).length === 0;
  });
  // And the next push is not kept waiting by it.
  git(src, ['push', '-q', url, `${tip}:refs/heads/again`]);
});

test('a small diff never waits behind heavy work; a big one takes its share and waits its turn', async () => {
  const { src, url } = await seeded('diffs');
  const tip = git(src, ['rev-parse', 'HEAD']).trim();
  const commitOf = (files: Record<string, string>, parent: string, message: string): string => {
    const lines = Object.entries(files).map(
      ([name, text]) => `100644 blob ${git(src, ['hash-object', '-w', '--stdin'], text).trim()}\t${name}`,
    );
    const tree = git(src, ['mktree'], `${lines.join('\n')}\n`).trim();
    return git(src, ['commit-tree', tree, '-p', parent, '-m', message]).trim();
  };
  // Small: one short file. Big: three files of 400 KB of text (each diffed, 1.2 MB in all).
  const small = commitOf({ 'small.txt': 'a small change\n' }, tip, 'small');
  const bigFiles = Object.fromEntries(
    [1, 2, 3].map((i) => [
      `big-${i}.txt`,
      `${randomBytes(300_000).toString('base64').replace(/.{76}/g, '$&\n')}\n`,
    ]),
  );
  const big = commitOf(bigFiles, tip, 'big');
  git(src, ['push', '-q', url, `${small}:refs/heads/small`, `${big}:refs/heads/big`]);
  const stats = () => gitStats(base, user, 'diffs');
  const commitPage = async (oid: string) => {
    const res = await fetch(`${base}/${user.username}/diffs/commit/${oid}`, { headers: auth });
    return { status: res.status, body: await res.text() };
  };

  // A push held half-sent, and a walking clone queued behind it: first come, first served, so any
  // work that reserves now waits behind the clone.
  const blob = git(src, ['hash-object', '-w', '--stdin'], randomBytes(1_200_000).toString('base64')).trim();
  const heldTip = git(src, [
    'commit-tree',
    git(src, ['mktree'], `100644 blob ${blob}\theld.txt\n`).trim(),
    '-p',
    tip,
    '-m',
    'held',
  ]).trim();
  const held = slowPush(
    url,
    pushBody([{ name: 'refs/heads/held', newOid: heldTip }], packRange(src, heldTip, tip)),
  );
  await held.receiving;
  await waitFor('the push to be admitted', async () => (await stats()).admission.running.push === 1, {
    timeoutMs: 60_000,
  });
  const shallow = gitAsync(work, ['clone', '-q', '--bare', '--depth', '1', url, join(work, 'diffs-shallow')]);
  await waitFor('the walking clone to wait', async () => (await stats()).admission.waiting === 1);

  // The small diff answers at once; if it reserved, it would queue (waiting 2) until the push ends.
  const smallPage = commitPage(small);
  const queued = waitFor('the small diff to queue', async () => (await stats()).admission.waiting === 2, {
    timeoutMs: 120_000,
  })
    .then(() => 'queued' as const)
    // Once the small page answered, nobody awaits this probe: its end must not go unhandled.
    .catch(() => 'never queued' as const);
  const first = await Promise.race([smallPage.then(() => 'answered' as const), queued]);
  expect(first).toBe('answered');
  const smallAnswer = await smallPage;
  expect(smallAnswer.status).toBe(200);
  expect(smallAnswer.body).toContain('small.txt');
  expect((await stats()).admission).toMatchObject({ waiting: 1, running: { push: 1 } });

  // The big diff reserves: it waits behind the clone.
  const bigPage = commitPage(big);
  await waitFor('the big diff to wait', async () => (await stats()).admission.waiting === 2);
  expect(await held.finish()).toContain('ok refs/heads/held');
  expect((await shallow).code).toBe(0);
  const bigAnswer = await bigPage;
  expect(bigAnswer.status).toBe(200);
  expect(bigAnswer.body).toContain('big-3.txt');
  expect((await stats()).admission).toMatchObject({ reserved_mib: 0, running: {}, waiting: 0 });
});
