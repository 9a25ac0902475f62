// The migration pages in headless Chromium against the real server, migrating from C git's own
// server (`git http-backend` on 127.0.0.1) behind a proxy the test can hold or cut: the "New
// migration" form, its progress while the server fetches, the repository page while a migration
// runs (never shown as a finished repository), a failed one with Retry and Delete, a mirror's
// "Sync now". Who sees which page and button: migrate-ui-access.test.ts.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { asToken, call, type GitUser } from '../helpers/accounts';
import { git } from '../helpers/git';
import type { HoldingProxy } from '../helpers/holding-proxy';
import type { HttpBackend } from '../helpers/http-backend';
import { migrateUiFixture, PASSWORD } from '../helpers/migrate-ui';
import { serverUrl } from '../helpers/server';
import { waitFor } from '../helpers/wait';

const base = serverUrl();
const ui = migrateUiFixture(base);
const { dirs, publish, pageAs, open, apiMigrate, fillForm, submitForm } = ui;
let backend: HttpBackend;
let proxy: HoldingProxy;
let owner: GitUser;
let source: string;
beforeAll(() => {
  ({ backend, proxy, owner, source } = ui);
});

test('the form migrates, shows progress meanwhile, and the repository page follows it to the end', async () => {
  publish('paged');
  const release = proxy.hold();
  const page = await pageAs(owner);
  await fillForm(page, `${proxy.url}/paged.git`, 'paged');
  await submitForm(page);
  // The source is held mid-fetch: the form shows the running migration...
  await page
    .locator('[data-testid=migrate-progress][data-status="fetching from the source"]')
    .waitFor({ timeout: 60_000 });
  expect(await page.locator('[data-testid=migrate-progress]').innerText()).toContain(
    `${proxy.url}/paged.git`,
  );
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

test('the repository page counts the objects received while the pack streams in', async () => {
  const dir = publish('counted');
  const objects = git(dir, ['rev-list', '--objects', '--all']).split('\n').filter(Boolean).length;
  // The pack answer stops after its first ~20 KB (of ~57) until released.
  const release = proxy.hold({ afterBytes: 20_000 });
  const migration = apiMigrate({ clone_addr: `${proxy.url}/counted.git`, repo_name: 'counted' });
  const page = await pageAs(owner);
  let text = '';
  try {
    await waitFor(
      'the page to count received objects',
      async () => {
        if ((await open(page, `/${owner.username}/counted`)) !== 200) return false;
        const note = page.locator('[data-testid=repo-source]');
        if ((await note.count()) === 0) return false;
        text = await note.innerText();
        return /receiving objects [1-9]/.test(text);
      },
      { timeoutMs: 60_000 },
    );
  } finally {
    release();
  }
  const counted = /receiving objects ([\d,]+) of ([\d,]+) \(\d+\.\d MiB\)/;
  expect(text).toMatch(counted);
  const [, done, total] = counted.exec(text) as RegExpExecArray;
  expect(Number(total.replaceAll(',', ''))).toBe(objects);
  expect(Number(done.replaceAll(',', ''))).toBeLessThan(objects);
  expect((await migration).status).toBe(201);
  // Once the fetch is done the count is gone and the files are there.
  await open(page, `/${owner.username}/counted`);
  await page.locator('[data-testid=file-table]').waitFor({ timeout: 60_000 });
  expect(await page.content()).not.toContain('receiving objects');
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
  proxy.cut = true;
  const page = await pageAs(owner);
  await fillForm(page, `${proxy.url}/broken.git`, 'broken');
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
  proxy.cut = false;
  await page.getByRole('button', { name: 'Retry' }).click();
  await page.locator('[data-testid=repo-source][data-migration-status=done]').waitFor({ timeout: 120_000 });
  await page.locator('[data-testid=file-table]').waitFor({ timeout: 60_000 });
  expect(await page.getByRole('button', { name: 'Retry' }).count()).toBe(0);
});

test('Delete on a failed migration asks once more, then removes the repository', async () => {
  publish('doomed');
  proxy.cut = true;
  const res = await apiMigrate({ clone_addr: `${proxy.url}/doomed.git`, repo_name: 'doomed' });
  proxy.cut = false;
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
  const res = await apiMigrate({ clone_addr: `${proxy.url}/follow.git`, repo_name: 'follow', mirror: true });
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
  const res = await apiMigrate({
    clone_addr: `${proxy.url}/pullset.git`,
    repo_name: 'pullset',
    mirror: true,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const page = await pageAs(owner);
  await open(page, `/${owner.username}/pullset/settings`);
  const section = page.locator('[data-testid=pull-mirror-settings]');
  expect(await section.innerText()).toContain(`${proxy.url}/pullset.git`);
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
