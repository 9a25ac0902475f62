// Pages read without JavaScript: the server's HTML carries each page's content where the browser
// shows it, not in a hidden part that only a script reveals (React holds back a streamed part that
// links a stylesheet until a script has loaded it; a page blank without scripts is blank to curl,
// crawlers and readers that block scripts, and to a browser whose scripts are slow to run).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { asToken, call, createUser, type GitUser } from '../helpers/accounts';
import { contextAs, launchChromium } from '../helpers/browser';
import { TempDirs } from '../helpers/git';
import { openPull, type PushedRepo, pushedRepo } from '../helpers/repo-setup';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
const dirs = new TempDirs();
let owner: GitUser;
let repo: PushedRepo;
let pull: number;
let issue: number;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  owner = await createUser(base, 'nosc');
  repo = await pushedRepo(base, dirs, owner, { prefix: 'nosc', featureBy: owner });
  pull = await openPull(base, repo.path, owner, 'Readable pull');
  const created = await call<{ number: number }>(base, 'POST', `${repo.path}/issues`, {
    auth: asToken(owner.token),
    json: { title: 'Readable issue', body: 'Issue body text' },
  });
  expect(created.status).toBe(201);
  issue = created.body.number;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  dirs.removeAll();
});

const pages = new Map<string, Page>();

/** The text and title a browser shows for `path`, with scripts on or off, once the document has loaded. */
async function shown(path: string, javaScriptEnabled: boolean, user: GitUser | null = null) {
  const key = `${user?.username ?? ''} ${javaScriptEnabled}`;
  let page = pages.get(key);
  if (!page) {
    const context = await contextAs(browser, base, user, { javaScriptEnabled });
    contexts.push(context);
    page = await context.newPage();
    pages.set(key, page);
  }
  const res = await page.goto(`${base}${path}`, { waitUntil: 'load' });
  return {
    status: res?.status() ?? 0,
    text: await page.locator('body').innerText(),
    title: await page.title(),
  };
}

describe('pages without JavaScript', () => {
  const cases = (): [string, number, string[]][] => {
    const at = `/${owner.username}/${repo.name}`;
    return [
      ['/', 200, ['Explore']],
      ['/explore', 200, ['Explore repositories', `${owner.username}/${repo.name}`]],
      ['/login', 200, ['Sign in']],
      [at, 200, ['a.txt']],
      [`${at}/blob/main/a.txt`, 200, ['first']],
      [`${at}/issues`, 200, ['Readable issue']],
      [`${at}/issues/${issue}`, 200, ['Readable issue', 'Issue body text']],
      [`${at}/pull/${pull}`, 200, ['Readable pull']],
      [`${at}/commits/main`, 200, ['first']],
      [`/${owner.username}/nosc-missing-repo`, 404, ['Not found']],
    ];
  };

  test('show their content in the HTML the server sends', async () => {
    for (const [path, status, expected] of cases()) {
      const page = await shown(path, false);
      expect(page.status, path).toBe(status);
      for (const text of expected) expect(page.text, path).toContain(text);
    }
  });

  test('signed in, a page shows the same without scripts as with them', async () => {
    const path = `/${owner.username}/${repo.name}/issues/${issue}`;
    const [without, withScripts] = [await shown(path, false, owner), await shown(path, true, owner)];
    expect(without.text).toContain(owner.username);
    expect(without.text).toContain('Issue body text');
    expect(withScripts.text).toContain('Issue body text');
  });

  test("name the page in the document's title", async () => {
    // The browser shows the first <title>: a page's own must not sit after the site's default.
    const titles: [string, string][] = [
      ['/', 'Gitflare'],
      ['/explore', 'Explore · Gitflare'],
      ['/login', 'Sign in · Gitflare'],
      [`/${owner.username}`, `${owner.username} · Gitflare`],
      ['/nosc-no-such-owner', 'Not found · Gitflare'],
      [`/${owner.username}/${repo.name}`, `${owner.username}/${repo.name} · Gitflare`],
    ];
    for (const [path, title] of titles) {
      expect((await shown(path, false)).title, path).toBe(title);
      expect((await shown(path, true)).title, path).toBe(title);
    }
  });
});
