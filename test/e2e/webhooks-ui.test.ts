// Settings → Webhooks in headless Chromium: the owner adds a hook through the form (a URL the
// server may not reach is refused with the API's message, beside one it may), sends a test
// delivery that the receiver gets signed, sees it in the delivery list, and deletes the hook.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { authUrl, call, createRepo, createUser, type GitUser, uniqueName } from '../helpers/accounts';
import { contextAs, launchChromium, waitForHydration } from '../helpers/browser';
import { git, gitAsync } from '../helpers/git';
import { expectedSignature, HookReceiver } from '../helpers/hook-receiver';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
const work = mkdtempSync(join(tmpdir(), 'gitflare-hooks-ui-'));
let owner: GitUser;
let browser: Browser;
let context: BrowserContext;
let hooks: HookReceiver;
const repo = uniqueName('hookui');

beforeAll(async () => {
  owner = await createUser(base, 'hookui');
  await createRepo(base, owner, repo);
  const src = join(work, 'src');
  git(work, ['init', '-q', '-b', 'main', src]);
  writeFileSync(join(src, 'a.txt'), 'a\n');
  git(src, ['add', '-A']);
  git(src, ['commit', '-q', '-m', 'first']);
  await gitAsync(src, ['push', '-q', authUrl(base, owner, owner.username, repo), 'main']);
  hooks = await HookReceiver.start();
  browser = await launchChromium();
  context = await contextAs(browser, base, owner);
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await hooks?.close();
  rmSync(work, { recursive: true, force: true });
});

async function openSettings(page: Page): Promise<void> {
  await page.goto(`${base}/${owner.username}/${repo}/settings`, { waitUntil: 'networkidle' });
  await waitForHydration(page);
}

test('the owner adds a webhook, sends a test delivery and sees it delivered, then deletes it', async () => {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await openSettings(page);
  await page.getByText('No webhooks yet.').waitFor();
  const form = page.getByRole('form', { name: 'Add webhook' });

  // Refused: a private address the test server's list (loopback) does not allow.
  await form.locator('input[name="url"]').fill('http://10.0.0.1/hook');
  await form.locator('button[type="submit"]').click();
  await expect(page.getByRole('alert').innerText()).resolves.toContain('10.0.0.1');
  const none = await call<unknown[]>(base, 'GET', `/api/v1/repos/${owner.username}/${repo}/hooks`, {
    auth: { authorization: `token ${owner.token}` },
  });
  expect(none.body).toEqual([]);

  await form.locator('input[name="url"]').fill(hooks.url);
  await form.locator('input[name="secret"]').fill('from the browser');
  await form.locator('button[type="submit"]').click();
  const hook = page.getByTestId('hook');
  await hook.waitFor();
  await expect(hook.getAttribute('data-url')).resolves.toBe(hooks.url);

  await hook.getByRole('button', { name: 'Test delivery' }).click();
  const got = await hooks.waitFor((l) => l.find((r) => r.headers['x-gitea-event'] === 'push'), 'test push');
  expect(got.headers['x-gitea-signature']).toBe(expectedSignature('from the browser', got.body));
  // The delivery shows in the list once delivered (the page reloads its list on demand).
  const deadline = Date.now() + 30_000;
  for (;;) {
    await openSettings(page);
    const row = page.getByTestId('delivery').first();
    await row.waitFor();
    if ((await row.getAttribute('data-status')) === 'delivered') break;
    if (Date.now() > deadline) throw new Error('the delivery never showed as delivered');
  }

  await page.getByTestId('hook').getByRole('button', { name: 'Delete' }).click();
  await page.getByText('No webhooks yet.').waitFor();
  expect(errors).toEqual([]);
});
