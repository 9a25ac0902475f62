// Who sees the migration pages and their buttons, in headless Chromium against the real server:
// the "New migration" form, a failed migration's page (Retry, Delete) and the mirror settings, for
// anonymous, a stranger, a reader, a writer, an admin, the owner and the owner's token without
// repository scope, on a public and a private repository.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { asToken, createToken, createUser, type GitUser } from '../helpers/accounts';
import type { HoldingProxy } from '../helpers/holding-proxy';
import { migrateUiFixture } from '../helpers/migrate-ui';
import { grant } from '../helpers/repo-setup';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
const ui = migrateUiFixture(base);
const { publish, pageAs, open, apiMigrate } = ui;
let proxy: HoldingProxy;
let owner: GitUser;
let reader: GitUser;
let stranger: GitUser;
let writer: GitUser;
let admin: GitUser;
/** The owner's token with issue scope only: as the API, pages show it what anonymous sees. */
let issueToken: string;
beforeAll(async () => {
  ({ proxy, owner, reader, stranger } = ui);
  [writer, admin] = await Promise.all([createUser(base, 'mgwr'), createUser(base, 'mgad')]);
  issueToken = (await createToken(base, owner, { scopes: ['read:issue'] })).sha1;
}, 120_000);

type Who = 'anonymous' | 'stranger' | 'reader' | 'writer' | 'admin' | 'owner' | 'token';

/** A page for `who`: signed in by session, anonymous, or sending the issue-only token. */
async function pageFor(who: Who): Promise<Page> {
  if (who === 'token') {
    const page = await pageAs(null);
    await page.setExtraHTTPHeaders({ Authorization: `token ${issueToken}` });
    return page;
  }
  return pageAs(who === 'anonymous' ? null : { stranger, reader, writer, admin, owner }[who]);
}

describe('who sees the pages and buttons', () => {
  let failedPrivate: string;
  let failedPublic: string;
  beforeAll(async () => {
    publish('whofail');
    proxy.cut = true;
    const a = await apiMigrate({ clone_addr: `${proxy.url}/whofail.git`, repo_name: 'whofail-pub' });
    const b = await apiMigrate({
      clone_addr: `${proxy.url}/whofail.git`,
      repo_name: 'whofail-priv',
      private: true,
    });
    proxy.cut = false;
    expect([a.status, b.status]).toEqual([422, 422]);
    failedPublic = `/${owner.username}/whofail-pub`;
    failedPrivate = `/${owner.username}/whofail-priv`;
    for (const r of ['whofail-pub', 'whofail-priv']) {
      await grant(base, owner, r, reader, 'read');
      await grant(base, owner, r, writer, 'write');
      await grant(base, owner, r, admin, 'admin');
    }
  }, 120_000);

  // The form for any signed-in caller (the token too: the migration it posts is the API's to
  // refuse, below), sign-in for anonymous.
  test.each(['anonymous', 'stranger', 'reader', 'writer', 'admin', 'owner', 'token'] as const)(
    '/repo/migrate: %s',
    async (w) => {
      const page = await pageFor(w);
      if (w === 'anonymous') {
        await page.goto(`${base}/repo/migrate`);
        await page.waitForURL(/\/login/, { timeout: 60_000 });
        expect(await page.locator('[data-testid=migrate-form]').count()).toBe(0);
        return;
      }
      expect(await open(page, '/repo/migrate')).toBe(200);
      expect(await page.locator('[data-testid=migrate-form]').count()).toBe(1);
    },
  );

  test('a migration posted with a token lacking repository scope is refused; the same with the scope is not', async () => {
    publish('whotoken');
    const json = { clone_addr: `${proxy.url}/whotoken.git`, repo_name: 'whotoken' };
    const refused = await apiMigrate(json, asToken(issueToken));
    expect(refused.status).toBe(403);
    const allowed = await apiMigrate(json);
    expect(allowed.status, JSON.stringify(allowed.body)).toBe(201);
  });

  test.each([
    ['anonymous', 404],
    ['stranger', 404],
    ['reader', 404],
    ['writer', 404],
    ['admin', 200],
    ['owner', 200],
    ['token', 404],
  ] as const)('the settings with the mirror sections: %s gets %i', async (w, status) => {
    const page = await pageFor(w);
    expect(await open(page, `${failedPublic}/settings`)).toBe(status);
    expect(await page.locator('#st-push-mirrors').count()).toBe(status === 200 ? 1 : 0);
  });

  const cases: [Who, 'public' | 'private', number, boolean][] = [
    ['anonymous', 'public', 200, false],
    ['anonymous', 'private', 404, false],
    ['stranger', 'public', 200, false],
    ['stranger', 'private', 404, false],
    ['reader', 'public', 200, false],
    ['reader', 'private', 200, false],
    ['writer', 'public', 200, false],
    ['writer', 'private', 200, false],
    ['admin', 'public', 200, true],
    ['admin', 'private', 200, true],
    ['owner', 'public', 200, true],
    ['owner', 'private', 200, true],
    ['token', 'public', 200, false],
    ['token', 'private', 404, false],
  ];
  test.each(cases)(
    "a failed migration's page: %s on the %s one: %i, Retry/Delete %s",
    async (w, vis, status, buttons) => {
      const page = await pageFor(w);
      expect(await open(page, vis === 'public' ? failedPublic : failedPrivate)).toBe(status);
      if (status === 200)
        expect(await page.locator('[data-testid=repo-source]').innerText()).toContain('migration failed');
      // A signed-in caller's page shows them signed in (the header's Sign out) before its buttons
      // are counted: a page counted just after hydration once had neither (see open()).
      if (status === 200 && w !== 'anonymous' && w !== 'token')
        expect(await page.getByRole('button', { name: 'Sign out' }).count(), `${w} signed in`).toBe(1);
      expect(await page.getByRole('button', { name: 'Retry' }).count()).toBe(buttons ? 1 : 0);
      expect(await page.getByRole('button', { name: 'Delete' }).count()).toBe(buttons ? 1 : 0);
    },
  );
});
