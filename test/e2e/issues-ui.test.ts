// Issue pages in headless Chromium against the real server: opening an issue through the form,
// reading it (markdown sanitized, #N references linked), the list with its filters, reading
// without JavaScript, and live updates: two pages on one issue, a change in one (or through the
// API) shows in the other without a reload.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type Auth,
  asToken,
  call,
  createRepo,
  createToken,
  signUp,
  type TestUser,
  uniqueName,
} from '../helpers/accounts';
import { contextAs, launchChromium, waitForHydration } from '../helpers/browser';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
const shots = join(process.cwd(), 'test-results');
const LIVE_WAIT_MS = 30_000;

let owner: TestUser;
let visitor: TestUser;
let ownerAuth: Auth;
let visitorAuth: Auth;
let repo: string;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

async function signedInPage(
  user: TestUser | null,
  opts: { javaScriptEnabled?: boolean } = {},
): Promise<Page> {
  const context = await contextAs(browser, base, user, opts);
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('dialog', (d) => void d.accept());
  return page;
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  [owner, visitor] = await Promise.all([signUp(base, 'uiown'), signUp(base, 'uivis')]);
  ownerAuth = asToken((await createToken(base, owner)).sha1);
  visitorAuth = asToken((await createToken(base, visitor)).sha1);
  repo = (await createRepo(base, ownerAuth, uniqueName('issues-ui'))).full_name;
  const label = await call(base, 'POST', `/api/v1/repos/${repo}/labels`, {
    auth: ownerAuth,
    json: { name: 'bug', color: '#d73a4a' },
  });
  expect(label.status).toBe(201);
  const first = await call(base, 'POST', `/api/v1/repos/${repo}/issues`, {
    auth: ownerAuth,
    json: { title: 'First issue', labels: [(label.body as { id: number }).id] },
  });
  expect(first.status).toBe(201);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
});

describe('issue pages', () => {
  test('an issue is opened through the form and shown with its markdown rendered safely', async () => {
    const page = await signedInPage(owner);
    await page.goto(`${base}/${repo}/issues/new`, { waitUntil: 'networkidle' });
    await waitForHydration(page);
    await page.fill('#title', 'Opened in the browser');
    await page.fill(
      '#body',
      'Some **bold** text, see #1 and #99.\n\n<script>window.__xss = 1</script>\n\n`#1 in code`',
    );
    await page.click('[data-testid="new-issue-form"] button[type="submit"]');
    await page.waitForURL(`${base}/${repo}/issues/2`);
    await page.waitForLoadState('networkidle');
    await waitForHydration(page);
    await expect(page.getByTestId('issue-title').textContent()).resolves.toBe('Opened in the browser');
    await expect(page.getByTestId('issue-state').getAttribute('data-state')).resolves.toBe('open');
    const body = page.getByTestId('issue-body');
    await expect(body.locator('.is-markdown strong').textContent()).resolves.toBe('bold');
    await expect(body.locator(`a[href="/${repo}/issues/1"]`).textContent()).resolves.toBe('#1');
    // #99 does not exist, and a reference inside code stays code.
    await expect(body.locator('a.issue-ref').count()).resolves.toBe(1);
    await expect(body.locator('code').textContent()).resolves.toBe('#1 in code');
    await expect(body.locator('script').count()).resolves.toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    await page.screenshot({ path: join(shots, 'issues-ui-issue.png'), fullPage: true });
  });

  test('the list shows issues with their labels, and filters by state and label', async () => {
    const page = await signedInPage(owner);
    await page.goto(`${base}/${repo}/issues`, { waitUntil: 'networkidle' });
    await waitForHydration(page);
    const list = page.getByTestId('issue-list');
    await expect(list.locator('li').count()).resolves.toBe(2);
    await expect(list.textContent()).resolves.toContain('Opened in the browser');
    await expect(page.getByTestId('open-count').textContent()).resolves.toContain('2 Open');
    await page.goto(`${base}/${repo}/issues?label=bug`, { waitUntil: 'networkidle' });
    await waitForHydration(page);
    await expect(page.getByTestId('issue-list').locator('li').count()).resolves.toBe(1);
    await expect(page.getByTestId('issue-list').locator('[data-testid="label"]').textContent()).resolves.toBe(
      'bug',
    );
    await page.goto(`${base}/${repo}/issues?state=closed`, { waitUntil: 'networkidle' });
    await waitForHydration(page);
    await expect(page.getByTestId('issue-list').count()).resolves.toBe(0);
    await page.screenshot({ path: join(shots, 'issues-ui-list.png'), fullPage: true });
  });

  test('pages are readable without JavaScript', async () => {
    const page = await signedInPage(null, { javaScriptEnabled: false });
    await page.goto(`${base}/${repo}/issues`);
    await expect(page.getByTestId('issue-list').textContent()).resolves.toContain('First issue');
    await expect(page.getByTestId('issue-list').isVisible()).resolves.toBe(true);
    await page.goto(`${base}/${repo}/issues/2`);
    await expect(page.getByTestId('issue-title').textContent()).resolves.toBe('Opened in the browser');
    await expect(page.getByTestId('issue-body').locator('.is-markdown strong').textContent()).resolves.toBe(
      'bold',
    );
    const missing = await page.goto(`${base}/${repo}/issues/12345`);
    expect(missing?.status()).toBe(404);
  });
});

describe('live updates', () => {
  test('a comment and a state change made elsewhere appear in an open page without a reload', async () => {
    const writerPage = await signedInPage(owner);
    const watcherPage = await signedInPage(visitor);
    for (const p of [writerPage, watcherPage]) {
      await p.goto(`${base}/${repo}/issues/1`, { waitUntil: 'networkidle' });
      await waitForHydration(p);
      await p.waitForSelector('[data-testid="live-status"][data-state="live"]', { timeout: LIVE_WAIT_MS });
      // A marker that a full reload would wipe out.
      await p.evaluate(() => {
        (window as unknown as { __sameDocument?: boolean }).__sameDocument = true;
      });
    }
    // A comment typed in one page...
    await writerPage.fill('#comment-body', 'Posted from **page one**');
    await writerPage.click('[data-testid="comment-form"] button[type="submit"]');
    const watcherComments = watcherPage.getByTestId('comment-list');
    await watcherComments.getByText('page one').waitFor({ timeout: LIVE_WAIT_MS });
    await expect(watcherComments.locator('.is-markdown strong').last().textContent()).resolves.toBe(
      'page one',
    );
    // ...and one posted through the API by someone else, shown in both.
    const viaApi = await call(base, 'POST', `/api/v1/repos/${repo}/issues/1/comments`, {
      auth: visitorAuth,
      json: { body: 'Posted through the API' },
    });
    expect(viaApi.status).toBe(201);
    for (const p of [writerPage, watcherPage]) {
      await p
        .getByTestId('comment-list')
        .getByText('Posted through the API')
        .waitFor({ timeout: LIVE_WAIT_MS });
    }
    // Closing (by the owner, through the API) flips the badge in the watcher's page.
    const closed = await call(base, 'PATCH', `/api/v1/repos/${repo}/issues/1`, {
      auth: ownerAuth,
      json: { state: 'closed' },
    });
    expect(closed.status).toBe(201);
    await watcherPage.waitForSelector('[data-testid="issue-state"][data-state="closed"]', {
      timeout: LIVE_WAIT_MS,
    });
    // A label change and a retitle arrive too.
    await call(base, 'PATCH', `/api/v1/repos/${repo}/issues/1`, {
      auth: ownerAuth,
      json: { title: 'First issue, renamed', labels: [] },
    });
    await watcherPage
      .getByTestId('issue-title')
      .getByText('First issue, renamed')
      .waitFor({ timeout: LIVE_WAIT_MS });
    await expect(
      watcherPage.getByTestId('issue-labels').locator('[data-testid="label"]').count(),
    ).resolves.toBe(0);
    await expect(watcherComments.getByTestId('comment').count()).resolves.toBe(2);
    for (const p of [writerPage, watcherPage]) {
      expect(await p.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(
        true,
      );
    }
    await watcherPage.screenshot({ path: join(shots, 'issues-ui-live.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  test('the live channel of a private repository is refused to those who cannot read it', async () => {
    const secret = (await createRepo(base, ownerAuth, uniqueName('secret'), { private: true })).full_name;
    await call(base, 'POST', `/api/v1/repos/${secret}/issues`, {
      auth: ownerAuth,
      json: { title: 'hidden' },
    });
    const page = await signedInPage(visitor);
    await page.goto(`${base}/${repo}/issues`, { waitUntil: 'networkidle' });
    await waitForHydration(page);
    const connect = (repoName: string) =>
      page.evaluate(
        (url) =>
          new Promise<string>((resolve) => {
            const ws = new WebSocket(url);
            ws.onopen = () => {
              resolve('open');
              ws.close();
            };
            ws.onerror = () => resolve('refused');
          }),
        `${base.replace('http', 'ws')}/api/v1/repos/${repoName}/issues/1/live`,
      );
    // The same visitor's page opens the channel of an issue it can read (the positive control).
    expect(await connect(repo)).toBe('open');
    expect(await connect(secret)).toBe('refused');
    const pageRes = await page.goto(`${base}/${secret}/issues/1`);
    expect(pageRes?.status()).toBe(404);
  });
});
