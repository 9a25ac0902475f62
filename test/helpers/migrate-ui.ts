// What the migration pages' browser tests share: C git's own server (`git http-backend`) behind a
// proxy the tests can hold or cut, three accounts, one Chromium whose pages' script errors fail
// the file, and the steps the tests take (publish a source, open a page as someone, migrate).
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { type Auth, asToken, call, createUser, type GitUser } from './accounts';
import { contextAs, launchChromium, waitForHydration } from './browser';
import { git, makeRepo, TempDirs } from './git';
import { type HoldingProxy, startHoldingProxy } from './holding-proxy';
import { type HttpBackend, startHttpBackend } from './http-backend';

/** Typed into the forms as the source's password: no page may show it back. */
export const PASSWORD = 'never-shown-pw-5821';

export interface MigrateUi {
  readonly dirs: TempDirs;
  backend: HttpBackend;
  /** The backend behind a proxy whose pack answers wait while held, are cut while `cut`. */
  proxy: HoldingProxy;
  owner: GitUser;
  reader: GitUser;
  stranger: GitUser;
  /** A 40-commit repository the sources are copies of. */
  source: string;
  /** Serves a copy of the source as `{name}.git` on the backend; its directory. */
  publish(name: string): string;
  pageAs(user: GitUser | null): Promise<Page>;
  /** Opens `path` once the app has taken the page over; its HTTP status. */
  open(page: Page, path: string): Promise<number>;
  /** POST /repos/migrate as the owner, or with `auth`. */
  apiMigrate(json: Record<string, unknown>, auth?: Auth): ReturnType<typeof call<Record<string, unknown>>>;
  fillForm(page: Page, addr: string, name: string): Promise<void>;
  submitForm(page: Page): Promise<void>;
}

/** Registers the file's hooks; the fields are set once its beforeAll has run. */
export function migrateUiFixture(base: string): MigrateUi {
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  const ui = {
    dirs: new TempDirs(),
    publish(name: string): string {
      const dir = join(ui.backend.root, `${name}.git`);
      git(ui.backend.root, ['clone', '-q', '--mirror', ui.source, dir]);
      return dir;
    },
    async pageAs(user: GitUser | null): Promise<Page> {
      const context = await contextAs(browser, base, user);
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (e) => pageErrors.push(String(e)));
      return page;
    },
    async open(page: Page, path: string): Promise<number> {
      const res = await page.goto(`${base}${path}`);
      const status = res?.status() ?? 0;
      // A page that is not found may never be taken over; only the others are waited for.
      if (status === 200) {
        await waitForHydration(page, 60_000);
        // Just after hydration the page can be laid out as empty for a moment (its text empty, its
        // buttons hidden from role queries), seen in 1 load of 20: wait until it is shown.
        await page.locator('main').first().waitFor({ state: 'visible', timeout: 60_000 });
      }
      return status;
    },
    apiMigrate(json: Record<string, unknown>, auth?: Auth) {
      return call<Record<string, unknown>>(base, 'POST', '/api/v1/repos/migrate', {
        auth: auth ?? asToken(ui.owner.token),
        json,
      });
    },
    async fillForm(page: Page, addr: string, name: string): Promise<void> {
      await ui.open(page, '/repo/migrate');
      await page.fill('#clone_addr', addr);
      await page.fill('#auth_username', 'someone');
      await page.fill('#auth_password', PASSWORD);
      await page.fill('#repo_name', name);
    },
    /** The form's own button (the header's "Sign out" is a submit button too). */
    async submitForm(page: Page): Promise<void> {
      await page.click('[data-testid=migrate-form] button[type=submit]');
    },
  } as MigrateUi;

  beforeAll(async () => {
    ui.backend = await startHttpBackend();
    ui.source = ui.dirs.keep(makeRepo(40));
    [ui.owner, ui.reader, ui.stranger] = await Promise.all([
      createUser(base, 'mgui'),
      createUser(base, 'mgrd'),
      createUser(base, 'mgst'),
    ]);
    ui.proxy = await startHoldingProxy(ui.backend.url, { cutAfter: 2000 });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await ui.proxy?.close();
    await ui.backend?.close();
    ui.dirs.removeAll();
    expect(pageErrors).toEqual([]);
  });
  return ui;
}
