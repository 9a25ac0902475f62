// The migration pages in headless Chromium against the real server, migrating from C git's own
// server (`git http-backend` on 127.0.0.1) behind a proxy the test can hold or cut: the "New
// migration" form, its progress while the server fetches, the repository page while a migration
// runs (never shown as a finished repository), a failed one with Retry and Delete, a mirror's
// "Sync now", and who sees which page and button.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { asToken, call, createUser, type GitUser } from '../helpers/accounts';
import { contextAs, launchChromium } from '../helpers/browser';
import { git, makeRepo, TempDirs } from '../helpers/git';
import { type HttpBackend, startHttpBackend } from '../helpers/http-backend';
import { waitFor } from '../helpers/wait';

const base = inject('baseUrl');
const dirs = new TempDirs();
const PASSWORD = 'never-shown-pw-5821';
let backend: HttpBackend;
let owner: GitUser;
let reader: GitUser;
let stranger: GitUser;
let browser: Browser;
let source: string;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

/** The proxy in front of the backend: pack answers wait while `held` is set, are cut while `cut`. */
let proxy: Server;
let proxyUrl: string;
let held: Promise<void> | null = null;
let release: () => void = () => undefined;
let cut = false;

beforeAll(async () => {
  backend = await startHttpBackend();
  source = dirs.keep(makeRepo(40));
  [owner, reader, stranger] = await Promise.all([
    createUser(base, 'mgui'),
    createUser(base, 'mgrd'),
    createUser(base, 'mgst'),
  ]);
  proxy = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', async () => {
      const body = Buffer.concat(parts);
      const isPack = body.includes('done');
      if (isPack && held) await held;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers))
        if (typeof v === 'string' && k !== 'host') headers[k] = v;
      const upstream = await fetch(`${backend.url}${req.url}`, {
        method: req.method,
        headers,
        body: req.method === 'POST' ? body : undefined,
      });
      const bytes = Buffer.from(await upstream.arrayBuffer());
      res.writeHead(upstream.status, Object.fromEntries(upstream.headers));
      if (cut && isPack) {
        res.write(bytes.subarray(0, 2000));
        res.destroy();
      } else res.end(bytes);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  release();
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
  await backend.close();
  dirs.removeAll();
  expect(pageErrors).toEqual([]);
});

function publish(name: string): string {
  const dir = join(backend.root, `${name}.git`);
  git(backend.root, ['clone', '-q', '--mirror', source, dir]);
  return dir;
}

async function pageAs(user: GitUser | null): Promise<Page> {
  const context = await contextAs(browser, base, user);
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  return page;
}

/** Opens `path` once the app has taken the page over; its HTTP status. */
async function open(page: Page, path: string): Promise<number> {
  const res = await page.goto(`${base}${path}`);
  const status = res?.status() ?? 0;
  // A page that is not found may never be taken over; only the others are waited for.
  if (status === 200)
    await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached', timeout: 60_000 });
  return status;
}

function apiMigrate(json: Record<string, unknown>) {
  return call<Record<string, unknown>>(base, 'POST', '/api/v1/repos/migrate', {
    auth: asToken(owner.token),
    json,
  });
}

/** The form's own button (the header's "Sign out" is a submit button too). */
async function submitForm(page: Page): Promise<void> {
  await page.click('[data-testid=migrate-form] button[type=submit]');
}

async function fillForm(page: Page, addr: string, name: string): Promise<void> {
  await open(page, '/repo/migrate');
  await page.fill('#clone_addr', addr);
  await page.fill('#auth_username', 'someone');
  await page.fill('#auth_password', PASSWORD);
  await page.fill('#repo_name', name);
}

test('the form migrates, shows progress meanwhile, and the repository page follows it to the end', async () => {
  publish('paged');
  held = new Promise((resolve) => {
    release = resolve;
  });
  const page = await pageAs(owner);
  await fillForm(page, `${proxyUrl}/paged.git`, 'paged');
  await submitForm(page);
  // The source is held mid-fetch: the form shows the running migration...
  await page
    .locator('[data-testid=migrate-progress][data-status="fetching from the source"]')
    .waitFor({ timeout: 60_000 });
  expect(await page.locator('[data-testid=migrate-progress]').innerText()).toContain(`${proxyUrl}/paged.git`);
  // ...and the repository page says it is migrating, not that it is empty or done.
  const watcher = await pageAs(owner);
  await open(watcher, `/${owner.username}/paged`);
  const note = watcher.locator('[data-testid=repo-source]');
  expect(await note.getAttribute('data-migration-status')).toBe('running');
  expect(await note.innerText()).toContain('Migrating from');
  expect(await watcher.locator('[data-testid=migration-unfinished]').count()).toBe(1);
  expect(await watcher.locator('[data-testid=empty-repo]').count()).toBe(0);
  expect(await watcher.locator('[data-testid=file-table]').count()).toBe(0);
  release();
  held = null;
  // The form lands on the repository; the watching page updates itself, without a reload.
  await page.waitForURL(`${base}/${owner.username}/paged`, { timeout: 120_000 });
  await page.locator('[data-testid=file-table]').waitFor({ timeout: 60_000 });
  await watcher.locator('[data-testid=repo-source][data-migration-status=done]').waitFor({ timeout: 60_000 });
  await watcher.locator('[data-testid=file-table]').waitFor({ timeout: 60_000 });
  expect(await watcher.locator('[data-testid=migration-unfinished]').count()).toBe(0);
  // The password typed in is on no page.
  expect(await page.content()).not.toContain(PASSWORD);
  expect(await watcher.content()).not.toContain(PASSWORD);
  const repo = await call<Record<string, unknown>>(base, 'GET', `/api/v1/repos/${owner.username}/paged`, {
    auth: asToken(owner.token),
  });
  expect(repo.body).toMatchObject({ migration_status: 'done', empty: false });
});

test('errors are shown as the API words them: a refused host, a source that is not a git repository', async () => {
  const page = await pageAs(owner);
  await fillForm(page, 'http://192.0.2.1/some/repo.git', 'refusedhost');
  await submitForm(page);
  const alert = page.locator('.gf-error[role=alert]');
  await alert.waitFor({ timeout: 60_000 });
  expect(await alert.innerText()).toContain('clone_addr refused');
  // Positive control beside it: the same form with a reachable source that has no repository there.
  await page.fill('#clone_addr', `${backend.url}/missing.git`);
  await page.fill('#repo_name', 'norepo');
  await submitForm(page);
  await waitFor(
    'the not-a-repository message',
    async () => {
      const text = await alert.innerText().catch(() => '');
      return text.includes('migration failed') && text;
    },
    { timeoutMs: 60_000 },
  );
  expect(await page.content()).not.toContain(PASSWORD);
});

test('a failed migration says so, with Retry and Delete for admins; Retry finishes it', async () => {
  publish('broken');
  cut = true;
  const page = await pageAs(owner);
  await fillForm(page, `${proxyUrl}/broken.git`, 'broken');
  await submitForm(page);
  const alert = page.locator('.gf-error[role=alert]');
  await alert.waitFor({ timeout: 60_000 });
  expect(await alert.innerText()).toContain('migration failed');
  await open(page, `/${owner.username}/broken`);
  const note = page.locator('[data-testid=repo-source]');
  expect(await note.getAttribute('data-migration-status')).toBe('failed');
  expect(await note.innerText()).toContain('migration failed');
  expect(await page.locator('[data-testid=file-table]').count()).toBe(0);
  expect(await page.locator('[data-testid=migration-unfinished]').count()).toBe(1);
  cut = false;
  await page.getByRole('button', { name: 'Retry' }).click();
  await page.locator('[data-testid=repo-source][data-migration-status=done]').waitFor({ timeout: 120_000 });
  await page.locator('[data-testid=file-table]').waitFor({ timeout: 60_000 });
  expect(await page.getByRole('button', { name: 'Retry' }).count()).toBe(0);
});

test('Delete on a failed migration asks once more, then removes the repository', async () => {
  publish('doomed');
  cut = true;
  const res = await apiMigrate({ clone_addr: `${proxyUrl}/doomed.git`, repo_name: 'doomed' });
  cut = false;
  expect(res.status).toBe(422);
  const page = await pageAs(owner);
  await open(page, `/${owner.username}/doomed`);
  // The first click asks again; nothing is deleted until the second.
  await page.getByRole('button', { name: 'Delete' }).click();
  const really = page.getByRole('button', { name: `Really delete ${owner.username}/doomed` });
  await really.waitFor({ timeout: 60_000 });
  const still = await call(base, 'GET', `/api/v1/repos/${owner.username}/doomed`, {
    auth: asToken(owner.token),
  });
  expect(still.status).toBe(200);
  await really.click();
  await page.waitForURL(`${base}/${owner.username}`, { timeout: 60_000 });
  const gone = await call(base, 'GET', `/api/v1/repos/${owner.username}/doomed`, {
    auth: asToken(owner.token),
  });
  expect(gone.status).toBe(404);
});

test('a mirror has "Sync now": the new commit of the source arrives', async () => {
  const dir = publish('follow');
  const res = await apiMigrate({ clone_addr: `${proxyUrl}/follow.git`, repo_name: 'follow', mirror: true });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const work = join(dirs.make(), 'w');
  git(dirs.make(), ['clone', '-q', dir, work]);
  git(work, ['commit', '-q', '--allow-empty', '-m', 'fresh on the source']);
  git(work, ['push', '-q', 'origin', 'HEAD:main']);
  const head = git(dir, ['rev-parse', 'refs/heads/main']).trim();
  const branch = () =>
    call<{ commit: { id: string } }>(base, 'GET', `/api/v1/repos/${owner.username}/follow/branches/main`, {
      auth: asToken(owner.token),
    });
  expect((await branch()).body.commit.id).not.toBe(head);
  const page = await pageAs(owner);
  await open(page, `/${owner.username}/follow`);
  await page.getByRole('button', { name: 'Sync now' }).click();
  await waitFor('the synced commit', async () => (await branch()).body.commit.id === head, {
    timeoutMs: 60_000,
  });
});

test('settings of a pull mirror: last sync, Sync now, the interval edited (and refused as the API words it)', async () => {
  const dir = publish('pullset');
  const res = await apiMigrate({ clone_addr: `${proxyUrl}/pullset.git`, repo_name: 'pullset', mirror: true });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const page = await pageAs(owner);
  await open(page, `/${owner.username}/pullset/settings`);
  const section = page.locator('[data-testid=pull-mirror-settings]');
  expect(await section.innerText()).toContain(`${proxyUrl}/pullset.git`);
  const firstSync = await page.locator('[data-testid=last-sync]').innerText();
  expect(firstSync).not.toBe('never');
  const work = join(dirs.make(), 'w');
  git(dirs.make(), ['clone', '-q', dir, work]);
  git(work, ['commit', '-q', '--allow-empty', '-m', 'for the settings sync']);
  git(work, ['push', '-q', 'origin', 'HEAD:main']);
  await section.getByRole('button', { name: 'Sync now' }).click();
  await waitFor(
    'a later sync time on the page',
    async () => (await page.locator('[data-testid=last-sync]').innerText()) !== firstSync,
  );
  const head = git(dir, ['rev-parse', 'refs/heads/main']).trim();
  const branch = await call<{ commit: { id: string } }>(
    base,
    'GET',
    `/api/v1/repos/${owner.username}/pullset/branches/main`,
    { auth: asToken(owner.token) },
  );
  expect(branch.body.commit.id).toBe(head);
  // The interval: a bad one refused with the API's words, a good one saved.
  await page.fill('#st-mirror-interval', '5m');
  await section.getByRole('button', { name: 'Save interval' }).click();
  const alert = section.locator('.gf-error[role=alert]');
  await alert.waitFor({ timeout: 60_000 });
  expect(await alert.innerText()).toContain('mirror_interval must be a duration');
  await page.fill('#st-mirror-interval', '2h0m0s');
  await section.getByRole('button', { name: 'Save interval' }).click();
  await waitFor('the saved interval', async () => {
    const r = await call(base, 'GET', `/api/v1/repos/${owner.username}/pullset`, {
      auth: asToken(owner.token),
    });
    return r.body.mirror_interval === '2h0m0s';
  });
});

test('settings of push mirrors: add (no credentials shown back), Sync now, last update, delete', async () => {
  const ours = await call(base, 'POST', '/api/v1/user/repos', {
    auth: asToken(owner.token),
    json: { name: 'pushset', auto_init: false },
  });
  expect(ours.status).toBe(201);
  const local = join(dirs.make(), 'l');
  git(dirs.make(), ['clone', '-q', source, local]);
  const target = new URL(`${base}/${owner.username}/pushset.git`);
  target.username = owner.username;
  target.password = owner.token;
  git(local, ['push', '-q', target.toString(), 'refs/heads/main:refs/heads/main']);
  const remote = backend.create('pushset-remote');
  const remoteDir = join(backend.root, 'pushset-remote.git');
  const page = await pageAs(owner);
  await open(page, `/${owner.username}/pushset/settings`);
  const form = page.locator('form[aria-label="Add push mirror"]');
  await form.locator('input[name=remote_address]').fill(remote);
  await form.locator('input[name=remote_username]').fill('bot');
  await form.locator('input[name=remote_password]').fill(PASSWORD);
  await form.locator('input[name=interval]').fill('0');
  await form.getByRole('button', { name: 'Add push mirror' }).click();
  const row = page.locator('[data-testid=push-mirror]');
  await row.waitFor({ timeout: 60_000 });
  expect(await row.innerText()).toContain(remote);
  expect(await row.locator('[data-testid=last-update]').innerText()).toBe('never');
  expect(await page.content()).not.toContain(PASSWORD);
  await page.getByRole('button', { name: 'Sync now' }).click();
  await waitFor(
    'the last update on the page',
    async () => (await row.locator('[data-testid=last-update]').innerText()) !== 'never',
  );
  const main = git(local, ['rev-parse', 'refs/heads/main']).trim();
  expect(git(remoteDir, ['rev-parse', 'refs/heads/main']).trim()).toBe(main);
  await row.getByRole('button', { name: 'Delete' }).click();
  await page.getByText('No push mirrors yet.').waitFor({ timeout: 60_000 });
  const list = await call<unknown[]>(base, 'GET', `/api/v1/repos/${owner.username}/pushset/push_mirrors`, {
    auth: asToken(owner.token),
  });
  expect(list.body).toEqual([]);
});

test('the object fetches only as the server allows: a redirect to a host outside the list is refused', async () => {
  publish('moved');
  // Answers every request with a redirect (307: the POSTs keep their bodies): to a host the test
  // server may not reach, or to the backend.
  let target = 'http://192.0.2.1';
  const mover = createServer((req, res) => {
    req.resume();
    res.writeHead(307, { Location: `${target}${req.url}` });
    res.end();
  });
  await new Promise<void>((resolve) => mover.listen(0, '127.0.0.1', resolve));
  const moverUrl = `http://127.0.0.1:${(mover.address() as AddressInfo).port}`;
  try {
    const refused = await apiMigrate({ clone_addr: `${moverUrl}/moved.git`, repo_name: 'moved-out' });
    expect(refused.status).toBe(422);
    expect(String(refused.body.message)).toContain("192.0.2.1 is not in the server's allowed host list");
    // Positive control: the same redirect to an allowed host is followed.
    target = backend.url;
    const followed = await apiMigrate({ clone_addr: `${moverUrl}/moved.git`, repo_name: 'moved-in' });
    expect(followed.status, JSON.stringify(followed.body)).toBe(201);
    expect(followed.body).toMatchObject({ empty: false, migration_status: 'done' });
  } finally {
    await new Promise<void>((resolve) => mover.close(() => resolve()));
  }
});

describe('who sees the pages and buttons', () => {
  let failedPrivate: string;
  let failedPublic: string;
  beforeAll(async () => {
    publish('whofail');
    cut = true;
    const a = await apiMigrate({ clone_addr: `${proxyUrl}/whofail.git`, repo_name: 'whofail-pub' });
    const b = await apiMigrate({
      clone_addr: `${proxyUrl}/whofail.git`,
      repo_name: 'whofail-priv',
      private: true,
    });
    cut = false;
    expect([a.status, b.status]).toEqual([422, 422]);
    failedPublic = `/${owner.username}/whofail-pub`;
    failedPrivate = `/${owner.username}/whofail-priv`;
    for (const r of ['whofail-pub', 'whofail-priv']) {
      const added = await call(
        base,
        'PUT',
        `/api/v1/repos/${owner.username}/${r}/collaborators/${reader.username}`,
        {
          auth: asToken(owner.token),
          json: { permission: 'read' },
        },
      );
      expect(added.status).toBe(204);
    }
  }, 120_000);

  test('/repo/migrate: the form for a signed-in account, sign-in for anonymous', async () => {
    const anon = await pageAs(null);
    await anon.goto(`${base}/repo/migrate`);
    await anon.waitForURL(/\/login/, { timeout: 60_000 });
    const signed = await pageAs(stranger);
    expect(await open(signed, '/repo/migrate')).toBe(200);
    expect(await signed.locator('[data-testid=migrate-form]').count()).toBe(1);
  });

  const who = { anonymous: null, stranger: 'stranger', reader: 'reader', owner: 'owner' } as const;
  const cases: [keyof typeof who, 'public' | 'private', number, boolean][] = [
    ['anonymous', 'public', 200, false],
    ['anonymous', 'private', 404, false],
    ['stranger', 'public', 200, false],
    ['stranger', 'private', 404, false],
    ['reader', 'public', 200, false],
    ['reader', 'private', 200, false],
    ['owner', 'public', 200, true],
    ['owner', 'private', 200, true],
  ];
  test.each([
    ['anonymous', 404],
    ['stranger', 404],
    ['reader', 404],
    ['owner', 200],
  ] as const)('the settings with the mirror sections: %s gets %i', async (w, status) => {
    const user = { anonymous: null, stranger, reader, owner }[w];
    const page = await pageAs(user);
    expect(await open(page, `${failedPublic}/settings`)).toBe(status);
    expect(await page.locator('#st-push-mirrors').count()).toBe(status === 200 ? 1 : 0);
  });

  test.each(cases)(
    "a failed migration's page: %s on the %s one: %i, Retry/Delete %s",
    async (w, vis, status, buttons) => {
      const user =
        who[w] === null ? null : { stranger, reader, owner }[who[w] as 'stranger' | 'reader' | 'owner'];
      const page = await pageAs(user);
      expect(await open(page, vis === 'public' ? failedPublic : failedPrivate)).toBe(status);
      if (status === 200)
        expect(await page.locator('[data-testid=repo-source]').innerText()).toContain('migration failed');
      expect(await page.getByRole('button', { name: 'Retry' }).count()).toBe(buttons ? 1 : 0);
      expect(await page.getByRole('button', { name: 'Delete' }).count()).toBe(buttons ? 1 : 0);
    },
  );
});
