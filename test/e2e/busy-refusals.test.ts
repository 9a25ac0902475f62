// What clients see when the repository's object refuses work as busy (storage/admission.ts): git's
// own output and exit status for a fetch (protocol v2 and v0), a clone and a push, and the pages'
// and downloads' 503 with Retry-After. Nothing here waits for a timer to race: a push is held
// half-sent so that the refused work cannot fit, and each refused request names a wait of 0 ms
// (X-Gitflare-Test-Admission-Wait, honoured on test servers only), so it is refused the moment it
// would have to wait. Beside each refusal, the same request succeeds once the push is released.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { authUrl, createRepo, createUser, type GitUser } from '../helpers/accounts';
import { BrowserPages } from '../helpers/browser';
import { git } from '../helpers/git';
import { gitStats } from '../helpers/maintenance';
import { gitAsync } from '../helpers/node-git-server';
import { packRange, pushBody, slowPush } from '../helpers/packs';
import { serverUrl } from '../helpers/server';
import { waitFor } from '../helpers/wait';

const base = serverUrl();
const WAIT_HEADER = 'X-Gitflare-Test-Admission-Wait';
/** git with the request header that makes heavy work refused rather than queued. */
const NO_WAIT = ['-c', `http.extraHeader=${WAIT_HEADER}: 0`];
const BUSY = (work: string) => `the repository is busy (waited too long to start: ${work}); try again later`;
let user: GitUser;
let auth: Record<string, string>;
const work = mkdtempSync(join(tmpdir(), 'gitflare-busy-'));
const browser = new BrowserPages(base);

beforeAll(async () => {
  user = await createUser(base, 'busy');
  auth = { Authorization: `token ${user.token}` };
  await browser.launch();
});

afterAll(async () => {
  await browser.close();
  rmSync(work, { recursive: true, force: true });
});

/**
 * A repository with two commits on `main` (the second adds a README), a clone made when it had
 * the first only (`behind`: its fetch negotiates and walks), and a push to it held half-sent.
 */
async function heldRepository(name: string) {
  await createRepo(base, user, name);
  const url = authUrl(base, user, user.username, name);
  const src = join(work, name);
  git(work, ['init', '-q', '-b', 'main', src]);
  git(src, ['commit', '-q', '--allow-empty', '-m', 'base']);
  git(src, ['push', '-q', url, 'main']);
  const behind = join(work, `${name}-behind`);
  git(work, ['clone', '-q', url, behind]);
  const readme = git(src, ['hash-object', '-w', '--stdin'], 'busy readme\n').trim();
  const tree = git(src, ['mktree'], `100644 blob ${readme}\tREADME.md\n`).trim();
  const tip = git(src, ['commit-tree', tree, '-p', 'HEAD', '-m', 'readme']).trim();
  git(src, ['update-ref', 'refs/heads/main', tip]);
  git(src, ['push', '-q', url, 'main']);
  // Incompressible, so that half of its pack is more than the object reads at once.
  const blob = git(src, ['hash-object', '-w', '--stdin'], randomBytes(300_000).toString('base64')).trim();
  const bigTree = git(src, ['mktree'], `100644 blob ${blob}\tbig.txt\n`).trim();
  const big = git(src, ['commit-tree', bigTree, '-p', tip, '-m', 'big']).trim();
  const stats = () => gitStats(base, user, name);
  const held = slowPush(url, pushBody([{ name: 'refs/heads/held', newOid: big }], packRange(src, big, tip)));
  await held.receiving;
  await waitFor('the held push to be admitted', async () => (await stats()).admission.running.push === 1, {
    timeoutMs: 60_000,
  });
  return { url, src, behind, tip, stats, release: () => held.finish() };
}

test('git is told the repository is busy: fetch in v2 and v0, a clone and a push, each landing once the push ends; the refused push stores nothing', async () => {
  const repo = await heldRepository('busy-git');
  const { url, src, behind, tip } = repo;
  const newer = git(src, ['commit-tree', `${tip}^{tree}`, '-p', tip, '-m', 'newer']).trim();
  // Fetches that walk the history reserve 64 MiB: no room beside the held push's 80.
  const shallowDir = join(work, 'busy-git-shallow');

  // v2: a shallow clone walks the history; it is refused at once with git's "remote error".
  const v2 = await gitAsync(work, [
    ...NO_WAIT,
    '-c',
    'protocol.version=2',
    'clone',
    '--bare',
    '--depth',
    '1',
    url,
    shallowDir,
  ]);
  expect(v2.code, v2.stderr).toBe(128);
  expect(v2.stderr).toContain(`fatal: remote error: ${BUSY('walk')}`);

  // v0: a fetch of the commit `behind` lacks, with its own to negotiate. Past the negotiation git
  // reads side-band: the refusal comes on its error band, which git prints as the remote's.
  const v0 = await gitAsync(behind, [...NO_WAIT, '-c', 'protocol.version=0', 'fetch', 'origin']);
  expect(v0.code, v0.stderr).toBe(128);
  expect(v0.stderr).toContain(`remote: ${BUSY('walk')}`);
  expect(v0.stderr).not.toContain('bad band');

  // A push waits behind the held one, so it is refused: the report names the refusal.
  git(src, ['update-ref', 'refs/heads/main', newer]);
  const pushed = await gitAsync(src, [...NO_WAIT, 'push', url, 'main']);
  expect(pushed.code, pushed.stderr).toBe(1);
  expect(pushed.stderr).toContain(`remote: error: ${BUSY('push')}`);
  expect(pushed.stderr).toContain('! [remote rejected] main -> main (repository busy)');
  expect((await repo.stats()).admission).toMatchObject({ running: { push: 1 }, waiting: 0 });

  // The held push lands; the refused one changed nothing: main where it was, its commit unknown.
  expect(await repo.release()).toContain('ok refs/heads/held');
  expect(git(work, ['ls-remote', url, 'refs/heads/main'])).toBe(`${tip}\trefs/heads/main\n`);
  const commitApi = (oid: string) =>
    fetch(`${base}/api/v1/repos/${user.username}/busy-git/git/commits/${oid}`, { headers: auth });
  // Positive control of the lookup: the tip is found.
  expect((await commitApi(tip)).status).toBe(200);
  expect((await commitApi(newer)).status).toBe(404);

  // The same commands, with the same header, now that nothing holds the room.
  const v2Again = await gitAsync(work, [
    ...NO_WAIT,
    '-c',
    'protocol.version=2',
    'clone',
    '--bare',
    '--depth',
    '1',
    url,
    shallowDir,
  ]);
  expect(v2Again.code, v2Again.stderr).toBe(0);
  expect(git(shallowDir, ['rev-parse', 'main']).trim()).toBe(tip);
  const pushedAgain = await gitAsync(src, [...NO_WAIT, 'push', url, 'main']);
  expect(pushedAgain.code, pushedAgain.stderr).toBe(0);
  expect(git(work, ['ls-remote', url, 'refs/heads/main'])).toBe(`${newer}\trefs/heads/main\n`);
  const v0Again = await gitAsync(behind, [...NO_WAIT, '-c', 'protocol.version=0', 'fetch', 'origin']);
  expect(v0Again.code, v0Again.stderr).toBe(0);
  expect(git(behind, ['rev-parse', 'origin/main']).trim()).toBe(newer);
  expect((await repo.stats()).admission).toMatchObject({ reserved_mib: 0, running: {}, waiting: 0 });
});

test('a page and the downloads answer a busy repository with 503, Retry-After and the message; the same requests succeed once the push ends', async () => {
  const repo = await heldRepository('busy-pages');
  const headers = { ...auth, [WAIT_HEADER]: '0' };
  const blamePath = `/${user.username}/busy-pages/blame/main/README.md`;
  // Blame (32 MiB) would fit beside the push (80): an archive waiting first (48, no room) keeps
  // it in the queue, first come first served.
  const archive = fetch(`${base}/${user.username}/busy-pages/archive/main.tar.gz`, { headers: auth });
  await waitFor('the archive to wait', async () => (await repo.stats()).admission.waiting === 1);

  const page = await fetch(`${base}${blamePath}`, { headers });
  const html = await page.text();
  expect(page.status).toBe(503);
  expect(page.headers.get('retry-after')).toBe('30');
  expect(html).toContain('503 — Repository busy');
  expect(html).toContain(BUSY('blame'));

  // In the browser: the page is said busy, also once React has taken it over.
  const tab = await browser.pageAs(null);
  await tab.setExtraHTTPHeaders({ [WAIT_HEADER]: '0' });
  expect(await browser.open(tab, blamePath)).toBe(503);
  expect(await tab.locator('main.rp-busy h1').textContent()).toBe('503 — Repository busy');
  expect(await tab.locator('main.rp-busy').textContent()).toContain(BUSY('blame'));

  // The downloads and the API (an archive has no room beside the push either).
  const download = await fetch(`${base}/${user.username}/busy-pages/archive/main.zip`, { headers });
  expect(download.status).toBe(503);
  expect(download.headers.get('retry-after')).toBe('30');
  expect(await download.text()).toContain(BUSY('archive'));
  const api = await fetch(`${base}/api/v1/repos/${user.username}/busy-pages/archive/main.zip`, { headers });
  expect(api.status).toBe(503);
  expect(api.headers.get('retry-after')).toBe('30');
  expect(await api.json()).toEqual({ message: BUSY('archive') });

  expect(await repo.release()).toContain('ok refs/heads/held');
  const archived = await archive;
  expect(archived.status).toBe(200);
  expect((await archived.arrayBuffer()).byteLength).toBeGreaterThan(0);
  // The same requests with the same header: nothing holds the room now.
  const again = await fetch(`${base}${blamePath}`, { headers });
  expect(again.status).toBe(200);
  expect(again.headers.get('retry-after')).toBeNull();
  expect(await again.text()).toContain('busy readme');
  expect(await browser.open(tab, blamePath)).toBe(200);
  expect(await tab.locator('main.rp-busy').count()).toBe(0);
  expect((await fetch(`${base}/${user.username}/busy-pages/archive/main.zip`, { headers })).status).toBe(200);
  expect(browser.pageErrors).toEqual([]);
});
