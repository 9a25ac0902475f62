// Release pages in headless Chromium against the real server: a writer drafts a release through
// the form with an asset, the asset downloads byte for byte and its count shows on the page, the
// notes render as markdown beside the tag's source archives; a draft stays invisible to a reader;
// editing and deleting through the edit page; the Releases link on the repository home.
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  authUrl,
  call,
  createRepo,
  createUser,
  type GitUser,
  signUp,
  type TestUser,
} from '../helpers/accounts';
import { contextAs, launchChromium, waitForHydration } from '../helpers/browser';
import { git, TempDirs } from '../helpers/git';
import { grant } from '../helpers/repo-setup';
import { serverUrl } from '../helpers/server';

const base = serverUrl();

let owner: GitUser;
const temp = new TempDirs();
let reader: TestUser;
let full: string;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

async function pageAs(user: TestUser | null): Promise<Page> {
  const context = await contextAs(browser, base, user);
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  return page;
}

beforeAll(async () => {
  owner = await createUser(base, 'relui');
  reader = await signUp(base, 'relui-reader');
  const name = 'shipping';
  full = (await createRepo(base, owner, name)).full_name;
  const dir = temp.make();
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['commit', '-q', '--allow-empty', '-m', 'first']);
  git(dir, ['push', '-q', authUrl(base, owner, owner.username, name), 'main']);
  await grant(base, owner, name, reader, 'read');
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  temp.removeAll();
  for (const c of contexts) await c.close();
  await browser?.close();
});

describe('release pages', () => {
  test('a writer publishes a release with an asset; it downloads byte for byte and counts', async () => {
    const page = await pageAs(owner);
    await page.goto(`${base}/${full}`);
    await page.getByRole('link', { name: 'Releases' }).click();
    await page.waitForURL(`${base}/${full}/releases`);
    await page.getByTestId('new-release').click();
    await page.waitForURL(`${base}/${full}/releases/new`);
    const bytes = randomBytes(300_000);
    const form = page.getByTestId('release-form');
    await form.locator('#tag_name').fill('v1.0');
    await form.locator('#name').fill('First light');
    await form.locator('#body').fill('Now with **bold** claims.\n\n<script>window.__xss = 1</script>');
    await form
      .locator('#assets')
      .setInputFiles({ name: 'tool.bin', mimeType: 'application/octet-stream', buffer: bytes });
    await page.getByTestId('publish').click();
    // The page moves on, or says why not.
    await Promise.race([
      page.waitForURL(`${base}/${full}/releases/tag/v1.0`),
      page.locator('.gf-error').waitFor(),
    ]);
    expect(await page.locator('.gf-error').allTextContents()).toEqual([]);
    const card = page.getByTestId('release');
    await expect(card.locator('h3').textContent()).resolves.toBe('First light');
    await expect(card.locator('strong').first().textContent()).resolves.toBe('bold');
    await expect(card.locator('script').count()).resolves.toBe(0);
    await expect(card.getByText('Latest', { exact: true }).count()).resolves.toBe(1);
    await expect(card.getByRole('link', { name: 'Source code (zip)' }).getAttribute('href')).resolves.toBe(
      `/${full}/archive/v1.0.zip`,
    );
    const link = card.getByTestId('asset-link');
    await expect(link.textContent()).resolves.toBe('tool.bin');
    await expect(card.getByTestId('download-count').textContent()).resolves.toBe('0');
    // The browser's own download of it.
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const saved = await download.path();
    const { readFileSync } = await import('node:fs');
    expect(Buffer.from(readFileSync(saved)).equals(bytes)).toBe(true);
    await page.reload();
    await expect(page.getByTestId('download-count').textContent()).resolves.toBe('1');
    // The tag exists now, at main.
    const tag = await call<{ name: string }[]>(base, 'GET', `/api/v1/repos/${full}/tags`);
    expect(JSON.stringify(tag.body)).toContain('v1.0');
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  });

  test('a draft saved through the form is invisible to a reader and listed for the writer', async () => {
    const page = await pageAs(owner);
    await page.goto(`${base}/${full}/releases/new`);
    const form = page.getByTestId('release-form');
    await form.locator('#tag_name').fill('v2.0-draft');
    await form.locator('#body').fill('Not yet.');
    await page.getByTestId('save-draft').click();
    await page.waitForURL(`${base}/${full}/releases/tag/v2.0-draft`);
    await expect(
      page.getByTestId('release').getByText('Draft', { exact: true }).count(),
    ).resolves.toBeGreaterThan(0);
    await page.goto(`${base}/${full}/releases`);
    const tags = await page
      .getByTestId('release')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-tag')));
    expect(tags).toEqual(['v2.0-draft', 'v1.0']);

    const other = await pageAs(reader);
    await other.goto(`${base}/${full}/releases`);
    const seen = await other
      .getByTestId('release')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-tag')));
    expect(seen).toEqual(['v1.0']);
    await expect(other.getByTestId('new-release').count()).resolves.toBe(0);
    const res = await other.goto(`${base}/${full}/releases/tag/v2.0-draft`);
    expect(res?.status()).toBe(404);
    const newPage = await other.goto(`${base}/${full}/releases/new`);
    expect(newPage?.status()).toBe(404);
  });

  test('the edit page renames, publishes and deletes', async () => {
    const page = await pageAs(owner);
    await page.goto(`${base}/${full}/releases/edit/v2.0-draft`);
    await page.getByTestId('release-form').locator('#name').fill('Second');
    await page.getByTestId('publish').click();
    await page.waitForURL(`${base}/${full}/releases/tag/v2.0-draft`);
    await expect(page.getByTestId('release').locator('h3').textContent()).resolves.toBe('Second');
    await expect(page.getByTestId('release').getByText('Draft', { exact: true }).count()).resolves.toBe(0);
    const latest = await call<{ tag_name: string }>(base, 'GET', `/api/v1/repos/${full}/releases/latest`);
    expect(latest.body.tag_name).toBe('v2.0-draft');

    await page.goto(`${base}/${full}/releases/edit/v2.0-draft`);
    // The first click arms a confirmation held in React's state: a click before hydration is lost.
    await waitForHydration(page);
    const remove = page.getByTestId('delete-release');
    await remove.click();
    await remove.filter({ hasText: 'Really delete this release' }).waitFor();
    await remove.click();
    await page.waitForURL(`${base}/${full}/releases`);
    const tags = await page
      .getByTestId('release')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-tag')));
    expect(tags).toEqual(['v1.0']);
    expect(pageErrors).toEqual([]);
  });
});
