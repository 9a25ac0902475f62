// The Fork button in headless Chromium: a signed-in reader of a repository forks it from its
// header, lands on the fork, which says where it was forked from; the parent counts the fork.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { authUrl, call, createRepo, createUser, type GitUser, uniqueName } from '../helpers/accounts';
import { contextAs, launchChromium, waitForHydration } from '../helpers/browser';
import { forkOf, repoWithHistory } from '../helpers/forks';
import { gitAsync, makeRepo, TempDirs } from '../helpers/git';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
const dirs = new TempDirs();
let owner: GitUser;
let forker: GitUser;
let browser: Browser;
let name: string;

beforeAll(async () => {
  owner = await createUser(base, 'forkui-owner');
  forker = await createUser(base, 'forkui-forker');
  name = uniqueName('forkui');
  await createRepo(base, owner, name);
  const src = dirs.keep(makeRepo(20));
  await gitAsync(src, ['push', '-q', authUrl(base, owner, owner.username, name), '--all']);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  dirs.removeAll();
});

test('the Fork button makes a fork and opens it; the parent shows the count', async () => {
  const context = await contextAs(browser, base, forker);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${base}/${owner.username}/${name}`, { waitUntil: 'networkidle' });
  await waitForHydration(page);
  await expect(page.getByTestId('fork-count').textContent()).resolves.toBe('0');
  await expect(page.getByTestId('forked-from').count()).resolves.toBe(0);
  await page.getByTestId('fork-button').click();
  await page.waitForURL(`${base}/${forker.username}/${name}`, { timeout: 60_000 });
  await page.waitForLoadState('networkidle');
  await expect(page.getByTestId('forked-from').textContent()).resolves.toBe(
    `forked from ${owner.username}/${name}`,
  );
  const fork = await call<{ fork: boolean }>(base, 'GET', `/api/v1/repos/${forker.username}/${name}`, {
    auth: { authorization: `token ${forker.token}` },
  });
  expect(fork.body.fork).toBe(true);
  await page.goto(`${base}/${owner.username}/${name}`, { waitUntil: 'networkidle' });
  await expect(page.getByTestId('fork-count').textContent()).resolves.toBe('1');
  expect(errors).toEqual([]);
  await context.close();
});

test('Sync fork fast-forwards the fork to the upstream; the pull request list names the fork as head', async () => {
  const repo = uniqueName('syncui');
  await createRepo(base, owner, repo, { default_branch: 'main' });
  const src = dirs.keep(makeRepo(5));
  const upstreamUrl = authUrl(base, owner, owner.username, repo);
  await gitAsync(src, ['push', '-q', upstreamUrl, 'main']);
  const f = await call(base, 'POST', `/api/v1/repos/${owner.username}/${repo}/forks`, {
    auth: { authorization: `token ${forker.token}` },
    json: {},
  });
  expect(f.status).toBe(202);
  const forkUrl = authUrl(base, forker, forker.username, repo);
  // One commit of the fork's own on `feature`, made without moving the fixture's branch.
  const work = (await gitAsync(src, ['commit-tree', 'HEAD^{tree}', '-p', 'HEAD', '-m', 'fork work'])).trim();
  await gitAsync(src, ['push', '-q', forkUrl, `${work}:refs/heads/feature`]);
  const opened = await call(base, 'POST', `/api/v1/repos/${owner.username}/${repo}/pulls`, {
    auth: { authorization: `token ${forker.token}` },
    json: { head: `${forker.username}:feature`, base: 'main', title: 'Fork head' },
  });
  expect(opened.status).toBe(201);
  // The upstream moves on: the fork is one commit behind.
  await gitAsync(src, ['commit', '-q', '--allow-empty', '-m', 'upstream moves on']);
  const ahead = (await gitAsync(src, ['rev-parse', 'HEAD'])).trim();
  await gitAsync(src, ['push', '-q', upstreamUrl, 'HEAD:refs/heads/main']);

  const context = await contextAs(browser, base, forker);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${base}/${forker.username}/${repo}`, { waitUntil: 'networkidle' });
  await waitForHydration(page);
  await page.getByTestId('sync-fork').click();
  await expect(page.getByTestId('sync-result').textContent({ timeout: 60_000 })).resolves.toBe(
    'main: fast-forwarded to the upstream',
  );
  const branch = await call<{ commit: { id: string } }>(
    base,
    'GET',
    `/api/v1/repos/${forker.username}/${repo}/branches/main`,
    { auth: { authorization: `token ${forker.token}` } },
  );
  expect(branch.body.commit.id).toBe(ahead);
  // The upstream's owner may not push to the fork: no button there.
  const ownerContext = await contextAs(browser, base, owner);
  const ownerPage = await ownerContext.newPage();
  await ownerPage.goto(`${base}/${forker.username}/${repo}`, { waitUntil: 'networkidle' });
  await expect(ownerPage.getByTestId('forked-from').count()).resolves.toBe(1);
  await expect(ownerPage.getByTestId('sync-fork').count()).resolves.toBe(0);
  if (opened.status === 201) {
    await ownerPage.goto(`${base}/${owner.username}/${repo}/pulls`, { waitUntil: 'networkidle' });
    await expect(ownerPage.locator('body').textContent()).resolves.toContain(
      `${forker.username}:feature → main`,
    );
  }
  expect(errors).toEqual([]);
  await ownerContext.close();
  await context.close();
});

test('a pull request from a fork opened in the browser: branch page, compare page, pull request page', async () => {
  const src = dirs.keep(makeRepo(5));
  const { name: repo } = await repoWithHistory(base, owner, src, { prefix: 'cmpui' });
  await forkOf(base, forker, owner.username, repo);
  const forkUrl = authUrl(base, forker, forker.username, repo);
  // Two commits of the fork's own on `feature`, made without moving the fixture's branch.
  const one = (
    await gitAsync(src, ['commit-tree', 'HEAD^{tree}', '-p', 'HEAD', '-m', 'First fork commit'])
  ).trim();
  const two = (
    await gitAsync(src, ['commit-tree', 'HEAD~1^{tree}', '-p', one, '-m', 'Second fork commit'])
  ).trim();
  await gitAsync(src, ['push', '-q', forkUrl, `${two}:refs/heads/feature`]);

  const context = await contextAs(browser, base, forker);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${base}/${forker.username}/${repo}/branches`, { waitUntil: 'networkidle' });
  await waitForHydration(page);
  await page.locator('li', { hasText: 'feature' }).getByTestId('fork-pull-link').click();
  await page.waitForURL(/\/compare\//, { timeout: 60_000 });
  await page.waitForLoadState('networkidle');
  await waitForHydration(page);
  expect(new URL(page.url()).pathname.startsWith(`/${owner.username}/${repo}/compare/`)).toBe(true);
  await expect(page.getByTestId('compare-title').textContent()).resolves.toBe(
    `Comparing main...${forker.username}:feature`,
  );
  await expect(page.getByTestId('compare-mergeable').getAttribute('data-status')).resolves.toBe('mergeable');
  await expect(page.getByTestId('compare-mergeable').textContent()).resolves.toContain('Able to merge');
  await expect(page.getByTestId('head-repo').inputValue()).resolves.toBe(`${forker.username}/${repo}`);
  await expect(page.getByTestId('commit-list').textContent()).resolves.toContain('Second fork commit');
  const form = page.getByTestId('open-pull-form');
  await form.locator('input[name="title"]').fill('From my fork, in the browser');
  await form.locator('button[type="submit"]').click();
  await page.waitForURL(new RegExp(`/${owner.username}/${repo}/pull/\\d+$`), { timeout: 60_000 });
  await page.waitForLoadState('networkidle');
  await expect(page.getByTestId('pull-title').textContent()).resolves.toContain(
    'From my fork, in the browser',
  );
  await expect(page.locator('body').textContent()).resolves.toContain(`${forker.username}:feature`);
  await page.goto(`${page.url()}/commits`, { waitUntil: 'networkidle' });
  const commits = await page.getByTestId('commit-list').textContent();
  expect(commits).toContain('First fork commit');
  expect(commits).toContain('Second fork commit');
  // The upstream holds the head itself.
  const pulls = await call<{ head: { sha: string } }[]>(
    base,
    'GET',
    `/api/v1/repos/${owner.username}/${repo}/pulls`,
    {
      auth: { authorization: `token ${owner.token}` },
    },
  );
  expect(pulls.body.map((p) => p.head.sha)).toEqual([two]);
  // The fork's branch list offers "Sync fork" per branch to its owner.
  await page.goto(`${base}/${forker.username}/${repo}/branches`, { waitUntil: 'networkidle' });
  await waitForHydration(page);
  await expect(page.locator('[data-testid="sync-fork"][data-branch="feature"]').count()).resolves.toBe(1);
  await page.getByTestId('branch-list').locator('[data-testid="sync-fork"][data-branch="main"]').click();
  await expect(page.getByTestId('sync-result').textContent({ timeout: 60_000 })).resolves.toBe(
    'main: already up to date',
  );
  expect(errors).toEqual([]);
  await context.close();
});
