// The pull-request pages in headless Chromium: open a pull request from the compare page's form,
// see it with its mergeability, merge it with the button, and read its commits and files tabs.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { authUrl, createRepo, createUser, type GitUser } from '../helpers/accounts';
import { contextAs, launchChromium, waitForHydration } from '../helpers/browser';
import { git, gitTry } from '../helpers/git';
import { ScenarioRepo } from '../helpers/merge-repo';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
const shots = join(process.cwd(), 'test-results');
const REPO = 'pulls-ui';
let owner: GitUser;
let local: ScenarioRepo;
let browser: Browser;
const pageErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  owner = await createUser(base, 'prui');
  await createRepo(base, owner, REPO);
  local = new ScenarioRepo();
  local.commit('base', { 'a.txt': 'one\ntwo\n' });
  local.checkout('topic', true);
  local.commit('Add feature file', { 'feature.txt': 'feature\n', 'a.txt': 'one\ntwo\nthree\n' });
  local.checkout('main');
  const push = gitTry(local.dir, [
    'push',
    '-q',
    authUrl(base, owner, owner.username, REPO),
    'refs/heads/*:refs/heads/*',
  ]);
  expect(push.code, push.stderr).toBe(0);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  local?.remove();
});

describe('pull request pages', () => {
  test('open from the compare page, merge with the button, read commits and files', async () => {
    const context = await contextAs(browser, base, owner);
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    const repoPath = `/${owner.username}/${REPO}`;
    await page.goto(`${base}${repoPath}/compare/main...topic`, { waitUntil: 'networkidle' });
    await waitForHydration(page);
    const form = page.getByTestId('open-pull-form');
    await expect(form.locator('input[name="title"]').inputValue()).resolves.toBe('Add feature file');
    await form.locator('input[name="title"]').fill('Feature from the browser');
    await form.locator('button[type="submit"]').click();
    await page.waitForURL(`${base}${repoPath}/pull/1`);
    await page.waitForLoadState('networkidle');
    await waitForHydration(page);
    await expect(page.getByTestId('pull-title').textContent()).resolves.toContain('Feature from the browser');
    await expect(page.getByTestId('pr-state').textContent()).resolves.toBe('Open');
    await expect(page.getByTestId('merge-box').textContent()).resolves.toContain('no conflicts');
    await page.screenshot({ path: join(shots, 'pulls-ui-open.png'), fullPage: true });
    await page.getByTestId('merge-button').click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="pr-state"]')?.textContent === 'Merged',
      null,
      {
        timeout: 15_000,
      },
    );
    await expect(page.getByTestId('merge-box').textContent()).resolves.toContain('Merged by');
    await page.screenshot({ path: join(shots, 'pulls-ui-merged.png'), fullPage: true });
    // The merge landed on main: the merged tree has the feature file.
    git(local.dir, ['fetch', '-q', authUrl(base, owner, owner.username, REPO), 'main']);
    expect(git(local.dir, ['show', 'FETCH_HEAD:feature.txt'])).toBe('feature\n');

    await page.goto(`${base}${repoPath}/pull/1/commits`, { waitUntil: 'networkidle' });

    await waitForHydration(page);
    await expect(page.getByTestId('commit-list').textContent()).resolves.toContain('Add feature file');
    await page.goto(`${base}${repoPath}/pull/1/files`, { waitUntil: 'networkidle' });
    await waitForHydration(page);
    const files = await page.locator('body').textContent();
    expect(files).toContain('feature.txt');
    expect(files).toContain('a.txt');
    await page.goto(`${base}${repoPath}/pulls?state=closed`, { waitUntil: 'networkidle' });
    await waitForHydration(page);
    await expect(page.getByTestId('pull-list').textContent()).resolves.toContain('Feature from the browser');
    await page.goto(`${base}${repoPath}/pull/99`);
    await expect(page.locator('body').textContent()).resolves.toMatch(/not found/i);
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
