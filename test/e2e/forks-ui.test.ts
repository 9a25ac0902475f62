// The Fork button in headless Chromium: a signed-in reader of a repository forks it from its
// header, lands on the fork, which says where it was forked from; the parent counts the fork.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { authUrl, call, createRepo, createUser, type GitUser, uniqueName } from '../helpers/accounts';
import { contextAs, launchChromium } from '../helpers/browser';
import { gitAsync, makeRepo, TempDirs } from '../helpers/git';

const base = inject('baseUrl');
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
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
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
