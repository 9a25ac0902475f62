// Who sees the migration pages and their buttons, in headless Chromium against the real server:
// the "New migration" form, a failed migration's page (Retry, Delete) and the mirror settings, for
// anonymous, a stranger, a reader and the owner, on a public and a private repository.
import { beforeAll, describe, expect, test } from 'vitest';
import { asToken, call, type GitUser } from '../helpers/accounts';
import type { HoldingProxy } from '../helpers/holding-proxy';
import { migrateUiFixture } from '../helpers/migrate-ui';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
const ui = migrateUiFixture(base);
const { publish, pageAs, open, apiMigrate } = ui;
let proxy: HoldingProxy;
let owner: GitUser;
let reader: GitUser;
let stranger: GitUser;
beforeAll(() => {
  ({ proxy, owner, reader, stranger } = ui);
});

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
      const added = await call(
        base,
        'PUT',
        `/api/v1/repos/${owner.username}/${r}/collaborators/${reader.username}`,
        {
          auth: asToken(owner.token),
          json: { permission: 'read' },
        },
      );
      expect(added.status).toBe(204);
    }
  }, 120_000);

  test('/repo/migrate: the form for a signed-in account, sign-in for anonymous', async () => {
    const anon = await pageAs(null);
    await anon.goto(`${base}/repo/migrate`);
    await anon.waitForURL(/\/login/, { timeout: 60_000 });
    const signed = await pageAs(stranger);
    expect(await open(signed, '/repo/migrate')).toBe(200);
    expect(await signed.locator('[data-testid=migrate-form]').count()).toBe(1);
  });

  const who = { anonymous: null, stranger: 'stranger', reader: 'reader', owner: 'owner' } as const;
  const cases: [keyof typeof who, 'public' | 'private', number, boolean][] = [
    ['anonymous', 'public', 200, false],
    ['anonymous', 'private', 404, false],
    ['stranger', 'public', 200, false],
    ['stranger', 'private', 404, false],
    ['reader', 'public', 200, false],
    ['reader', 'private', 200, false],
    ['owner', 'public', 200, true],
    ['owner', 'private', 200, true],
  ];
  test.each([
    ['anonymous', 404],
    ['stranger', 404],
    ['reader', 404],
    ['owner', 200],
  ] as const)('the settings with the mirror sections: %s gets %i', async (w, status) => {
    const user = { anonymous: null, stranger, reader, owner }[w];
    const page = await pageAs(user);
    expect(await open(page, `${failedPublic}/settings`)).toBe(status);
    expect(await page.locator('#st-push-mirrors').count()).toBe(status === 200 ? 1 : 0);
  });

  test.each(cases)(
    "a failed migration's page: %s on the %s one: %i, Retry/Delete %s",
    async (w, vis, status, buttons) => {
      const user =
        who[w] === null ? null : { stranger, reader, owner }[who[w] as 'stranger' | 'reader' | 'owner'];
      const page = await pageAs(user);
      expect(await open(page, vis === 'public' ? failedPublic : failedPrivate)).toBe(status);
      if (status === 200)
        expect(await page.locator('[data-testid=repo-source]').innerText()).toContain('migration failed');
      expect(await page.getByRole('button', { name: 'Retry' }).count()).toBe(buttons ? 1 : 0);
      expect(await page.getByRole('button', { name: 'Delete' }).count()).toBe(buttons ? 1 : 0);
    },
  );
});
