// Headless Chromium (playwright-core driving the system's browser) for the UI tests.
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium } from 'playwright-core';

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
