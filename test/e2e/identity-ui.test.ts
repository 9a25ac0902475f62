// Identity in headless Chromium against the real server: the collaborator list's Remove button
// removes the account whose row it is, even when another account tried to pass as that one; the
// account's Profile form renames it (the old URLs then move to the new name) and sets its display
// name and email privacy.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { call, createRepo, createUser, type GitUser, uniqueName } from '../helpers/accounts';
import { contextAs, launchChromium, waitForHydration } from '../helpers/browser';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  // Closing a context once hung past the hook's 3 minutes in CI after both tests had passed;
  // closing the browser ends its contexts too, so a context that does not close in 30 s is left
  // to it (cleanup only: every assertion has run).
  for (const c of contexts) await Promise.race([c.close(), new Promise((r) => setTimeout(r, 30_000))]);
  await browser?.close();
  expect(pageErrors).toEqual([]);
}, 240_000);

/** `path` opened as `user`, once React has taken the page over (so its buttons work). */
async function openAs(user: GitUser, path: string): Promise<Page> {
  const context = await contextAs(browser, base, user);
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  const res = await page.goto(`${base}${path}`, { waitUntil: 'networkidle' });
  expect(res?.status(), path).toBe(200);
  await waitForHydration(page);
  return page;
}

const token = (user: GitUser) => ({ authorization: `token ${user.token}` });

describe('identity in the browser', () => {
  test("Remove in a collaborator's row removes that account", async () => {
    const owner = await createUser(base, 'uiowner');
    const alice = await createUser(base, 'alice');
    const mallory = await createUser(base, 'mallory');
    const repo = uniqueName('crew');
    await createRepo(base, owner, repo);
    const collabApi = `/api/v1/repos/${owner.username}/${repo}/collaborators`;
    for (const u of [alice, mallory]) {
      const put = await call(base, 'PUT', `${collabApi}/${u.username}`, { auth: token(owner), json: {} });
      expect(put.status).toBe(204);
    }
    // Mallory tries to pass as Alice (refused now; accepted before, when both rows read "alice").
    await call(base, 'POST', '/api/auth/update-user', {
      auth: { cookie: mallory.cookie },
      headers: { origin: base },
      json: { displayUsername: alice.username },
    });
    const page = await openAs(owner, `/${owner.username}/${repo}/settings`);
    // Mallory's row, found by her display name (sign-up set it to `Test {username}`).
    const row = page.locator('[data-testid="collaborator"]', { hasText: `Test ${mallory.username}` });
    await row.getByRole('button', { name: 'Remove' }).click();
    await expect
      .poll(async () =>
        (await call<{ id: number }[]>(base, 'GET', collabApi, { auth: token(owner) })).body.map((c) => c.id),
      )
      .toEqual([alice.id]);
  });

  test('the Profile form renames the account and sets its display name and email privacy', async () => {
    const user = await createUser(base, 'profile');
    await createRepo(base, user, 'home');
    const page = await openAs(user, '/settings');
    const form = page.getByTestId('profile-form');
    const renamed = uniqueName('Moved');
    await form.locator('input[name="username"]').fill(renamed);
    await form.locator('input[name="full_name"]').fill('<b>Ada</b> /evil.example');
    await form.locator('input[name="private"]').uncheck();
    await form.locator('button[type="submit"]').click();
    await expect
      .poll(async () => (await call(base, 'GET', '/api/v1/user', { auth: token(user) })).body.login)
      .toBe(renamed);
    expect((await call(base, 'GET', '/api/v1/user/settings', { auth: token(user) })).body).toMatchObject({
      full_name: '<b>Ada</b> /evil.example',
      keep_email_private: false,
    });
    const old = await fetch(`${base}/${user.username}/home`, { redirect: 'manual' });
    expect(old.status).toBe(301);
    expect(new URL(old.headers.get('location')!, base).pathname).toBe(`/${renamed}/home`);
  });
});
