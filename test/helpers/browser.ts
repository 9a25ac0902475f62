// Headless Chromium (playwright-core driving the system's browser) for the UI tests.
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Chromium without a sandbox, GPU or background traffic (updates, sync) beside the test's own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A fresh browser context, signed in to `base` with `user`'s session cookie when one is given. */
export async function contextAs(
  browser: Browser,
  base: string,
  user: { readonly cookie: string } | null,
  opts: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const context = await browser.newContext(opts);
  if (user) {
    const [name, ...rest] = user.cookie.split('=');
    await context.addCookies([{ name, value: rest.join('='), url: base }]);
  }
  return context;
}

/**
 * One test file's Chromium: pages signed in as users, each in its own context, with the errors
 * thrown in any of them collected (a test asserts there were none). `launch` in beforeAll,
 * `close` in afterAll.
 */
export class BrowserPages {
  /** Uncaught errors of every page opened, as text. */
  readonly pageErrors: string[] = [];
  private browser: Browser | undefined;
  private readonly contexts: BrowserContext[] = [];

  constructor(private readonly base: string) {}

  async launch(): Promise<void> {
    this.browser = await launchChromium();
  }

  /** A new page signed in as `user` (anonymous for null). */
  async pageAs(user: { readonly cookie: string } | null): Promise<Page> {
    if (!this.browser) throw new Error('BrowserPages.launch() was not called');
    const context = await contextAs(this.browser, this.base, user);
    this.contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => this.pageErrors.push(String(e)));
    return page;
  }

  /** Opens `path` once the network is idle and the app has hydrated (if it does); the answer's status. */
  async open(page: Page, path: string): Promise<number> {
    const res = await page.goto(`${this.base}${path}`, { waitUntil: 'networkidle' });
    await waitForHydration(page, 60_000).catch(() => undefined);
    return res?.status() ?? 0;
  }

  async close(): Promise<void> {
    for (const c of this.contexts) await c.close();
    await this.browser?.close();
  }
}

/**
 * Waits until React has taken the page over (the root's `data-hydrated`): a click before that
 * does nothing, and text read before it may be the server's alone. `timeout` as Playwright's.
 */
export async function waitForHydration(page: Page, timeout?: number): Promise<void> {
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached', timeout });
}
