// Repository settings, /explore and the pull-request comment box in headless Chromium against the
// real server: an owner edits a repository through the settings page (description, visibility,
// default branch, collaborators, rename, delete) and the effects show through the API and pages;
// people short of admin get the 404 page; explore hides private repositories from strangers.
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { authUrl, createRepo, createUser, type GitUser } from '../helpers/accounts';
import { contextAs, launchChromium, waitForHydration } from '../helpers/browser';
import { gitTry } from '../helpers/git';
import { ScenarioRepo } from '../helpers/merge-repo';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
const tag = `stx${randomBytes(3).toString('hex')}`;
const MAIN = `${tag}-code`;
const SECRET = `${tag}-secret`;
const OPEN = `${tag}-open`;
const DOOMED = `${tag}-doomed`;

let owner: GitUser;
let collab: GitUser;
let stranger: GitUser;
let browser: Browser;
let local: ScenarioRepo;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

async function pageAs(user: GitUser | null): Promise<Page> {
  const context = await contextAs(browser, base, user);
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  return page;
}

async function api(user: GitUser, method: string, path: string, json?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `token ${user.token}`, 'Content-Type': 'application/json' },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

/** Opens `path` and answers the HTTP status and the page's text. `interactive` waits for the
 * page's scripts to settle (hydration) before anything is clicked; reading needs only the HTML. */
async function visit(
  page: Page,
  path: string,
  interactive = false,
): Promise<{ status: number; text: string }> {
  const res = await page.goto(`${base}${path}`, { waitUntil: interactive ? 'networkidle' : 'load' });
  // Read the page once React has taken it over. (Text read at 'load' was sometimes empty while the
  // pages linked their stylesheet from the body: no-script.test.ts.) Pages that are not the app's
  // (a plain 404) never hydrate, hence the short wait there.
  if (interactive) await waitForHydration(page);
  else await waitForHydration(page, 5000).catch(() => undefined);
  return { status: res?.status() ?? 0, text: await page.locator('body').innerText() };
}

beforeAll(async () => {
  [owner, collab, stranger] = await Promise.all([
    createUser(base, 'stown'),
    createUser(base, 'stcol'),
    createUser(base, 'ststr'),
  ]);
  await Promise.all([
    createRepo(base, owner, MAIN),
    createRepo(base, owner, SECRET, { private: true }),
    createRepo(base, owner, OPEN),
    createRepo(base, owner, DOOMED),
  ]);
  local = new ScenarioRepo();
  local.commit('base', { 'a.txt': 'one\n' });
  local.checkout('topic', true);
  local.commit('Topic work', { 'b.txt': 'two\n' });
  local.checkout('main');
  const push = gitTry(local.dir, [
    'push',
    '-q',
    authUrl(base, owner, owner.username, MAIN),
    'refs/heads/*:refs/heads/*',
  ]);
  expect(push.code, push.stderr).toBe(0);
  const pr = await api(owner, 'POST', `/api/v1/repos/${owner.username}/${MAIN}/pulls`, {
    head: 'topic',
    base: 'main',
    title: 'Topic pull',
  });
  expect(pr.status).toBe(201);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  local?.remove();
});

describe('repository settings page', () => {
  test('the owner changes description, visibility and default branch', async () => {
    const page = await pageAs(owner);
    const home = await visit(page, `/${owner.username}/${MAIN}`);
    expect(home.status).toBe(200);
    await expect(page.locator('nav.rp-tabs a', { hasText: 'Settings' }).count()).resolves.toBe(1);
    const shown = await visit(page, `/${owner.username}/${MAIN}/settings`, true);
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('Collaborators');
    const form = page.getByTestId('general-form');
    await form.locator('input[name="description"]').fill('Described in the browser');
    await form.locator('input[value="private"]').check();
    await form.locator('select[name="default_branch"]').selectOption('topic');
    await form.locator('button[type="submit"]').click();
    await page.getByTestId('general-saved').waitFor();
    const repo = await api(owner, 'GET', `/api/v1/repos/${owner.username}/${MAIN}`);
    expect(repo.body).toMatchObject({
      description: 'Described in the browser',
      private: true,
      default_branch: 'topic',
    });
    // The form shows the saved values after the reload.
    await expect(form.locator('select[name="default_branch"]').inputValue()).resolves.toBe('topic');
    // Private now: a stranger gets the 404 page for the repository.
    expect((await visit(await pageAs(stranger), `/${owner.username}/${MAIN}`)).status).toBe(404);
  });

  test('collaborators: added one reads the private repository; non-admins get 404', async () => {
    const page = await pageAs(owner);
    await visit(page, `/${owner.username}/${SECRET}/settings`, true);
    const add = page.getByTestId('add-collaborator');
    await add.locator('input[name="login"]').fill(collab.username);
    await add.locator('select[name="permission"]').selectOption('read');
    await add.locator('button[type="submit"]').click();
    const row = page.locator(`[data-testid="collaborator"][data-login="${collab.username}"]`);
    await row.waitFor();
    await expect(row.locator('select').inputValue()).resolves.toBe('read');

    const collabPage = await pageAs(collab);
    const seen = await visit(collabPage, `/${owner.username}/${SECRET}`);
    expect(seen.status).toBe(200);
    expect(seen.text).toContain(SECRET);
    // A reader is not an admin: no tab, and the settings page is the 404 page.
    await expect(collabPage.locator('nav.rp-tabs a', { hasText: 'Settings' }).count()).resolves.toBe(0);
    const denied = await visit(collabPage, `/${owner.username}/${SECRET}/settings`);
    expect(denied.status).toBe(404);
    expect(denied.text).toContain('Not found');
    expect(denied.text).not.toContain('Danger zone');
    const strangerDenied = await visit(await pageAs(stranger), `/${owner.username}/${SECRET}/settings`);
    expect(strangerDenied.status).toBe(404);
    expect(strangerDenied.text).not.toContain('Danger zone');
    // Even on a public repository, a stranger's settings page is the 404 page.
    expect((await visit(await pageAs(stranger), `/${owner.username}/${OPEN}/settings`)).status).toBe(404);

    // Change the permission, then remove the collaborator.
    await row.locator('select').selectOption('write');
    await expect
      .poll(
        async () =>
          (
            await api(
              owner,
              'GET',
              `/api/v1/repos/${owner.username}/${SECRET}/collaborators/${collab.username}/permission`,
            )
          ).body?.permission,
      )
      .toBe('write');
    await row.getByRole('button', { name: 'Remove' }).click();
    await row.waitFor({ state: 'detached' });
    expect((await visit(collabPage, `/${owner.username}/${SECRET}`)).status).toBe(404);
  });

  test('rename moves the repository; delete needs the typed name', async () => {
    const page = await pageAs(owner);
    await visit(page, `/${owner.username}/${DOOMED}/settings`, true);
    const renamed = `${DOOMED}-renamed`;
    const rename = page.getByTestId('rename-form');
    await rename.locator('input[name="name"]').fill(renamed);
    await rename.locator('button[type="submit"]').click();
    await page.waitForURL(`${base}/${owner.username}/${renamed}/settings`);
    expect((await visit(page, `/${owner.username}/${DOOMED}`)).status).toBe(404);
    expect((await visit(page, `/${owner.username}/${renamed}`)).status).toBe(200);

    await visit(page, `/${owner.username}/${renamed}/settings`, true);
    const del = page.getByTestId('delete-form');
    const button = del.locator('button[type="submit"]');
    await del.locator('input[name="confirm"]').fill('wrong name');
    await expect(button.isDisabled()).resolves.toBe(true);
    await del.locator('input[name="confirm"]').fill(renamed);
    await button.click();
    await page.waitForURL(`${base}/${owner.username}`);
    expect((await api(owner, 'GET', `/api/v1/repos/${owner.username}/${renamed}`)).status).toBe(404);
    expect((await visit(page, `/${owner.username}/${renamed}`)).status).toBe(404);
  });
});

describe('explore', () => {
  test('lists public repositories, hides private ones from strangers, searches', async () => {
    const anon = await pageAs(null);
    const first = await visit(anon, '/', true);
    expect(first.status).toBe(200);
    await anon.locator('header a', { hasText: 'Explore' }).click();
    await anon.waitForURL(`${base}/explore`);
    const strangerPage = await pageAs(stranger);
    const listed = await visit(strangerPage, `/explore?q=${tag}`, true);
    expect(listed.text).toContain(`${owner.username}/${OPEN}`);
    expect(listed.text).not.toContain(SECRET);
    const mine = await visit(await pageAs(owner), `/explore?q=${tag}`);
    expect(mine.text).toContain(`${owner.username}/${SECRET}`);
    // The search box: a query for one name lists that one only.
    await strangerPage.locator('input[name="q"]').fill(OPEN);
    await strangerPage.locator('[data-testid="explore-search"] button').click();
    // The page is already at ?q=<tag>: wait for the search's own URL (a plain GET form, so a
    // whole new document), or the next visit races the form's navigation and reads a blank page.
    await strangerPage.waitForURL((url) => url.searchParams.get('q') === OPEN);
    await strangerPage.waitForLoadState('load');
    const found = await strangerPage.getByTestId('explore-list').innerText();
    expect(found).toContain(OPEN);
    expect(found).not.toContain(MAIN);
    const none = await visit(strangerPage, `/explore?q=${tag}-nothing-here`);
    expect(none.text).toContain('No repositories match');
  });
});

describe('pull request comments', () => {
  test('a comment posted on the page appears, and one posted elsewhere arrives live', async () => {
    const page = await pageAs(owner);
    const shown = await visit(page, `/${owner.username}/${MAIN}/pull/1`, true);
    expect(shown.status).toBe(200);
    await page.waitForFunction(
      () => document.querySelector('[data-testid="live-status"]')?.getAttribute('data-state') === 'live',
      null,
      { timeout: 10_000 },
    );
    const form = page.getByTestId('comment-form');
    await form.locator('textarea[name="body"]').fill('Looks **good** from the browser');
    await form.locator('button[type="submit"]').click();
    const list = page.getByTestId('comment-list');
    await list.locator('strong', { hasText: 'good' }).waitFor();
    await expect(list.innerText()).resolves.toContain('Looks good from the browser');
    const posted = await api(owner, 'POST', `/api/v1/repos/${owner.username}/${MAIN}/issues/1/comments`, {
      body: 'Posted through the API',
    });
    expect(posted.status).toBe(201);
    await list.getByText('Posted through the API').waitFor({ timeout: 5_000 });
    expect(pageErrors).toEqual([]);
  });
});
