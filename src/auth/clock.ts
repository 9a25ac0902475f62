// The time credentials are checked against. End-to-end tests of expiry move it forward with a
// header instead of waiting for a real expiry to pass (which raced the password hashing of the
// token's creation); only a server started with GITFLARE_TEST_CLOCK=1 (the tests' own) honours it.

declare global {
  interface Env {
    /** "1" on test servers only: `X-Gitflare-Test-Now` sets the time credentials are checked at. */
    readonly GITFLARE_TEST_CLOCK?: string;
  }
}

export const TEST_NOW_HEADER = 'X-Gitflare-Test-Now';

export function credentialTime(request: Request, env: Env): Date {
  if (env.GITFLARE_TEST_CLOCK === '1') {
    const t = Date.parse(request.headers.get(TEST_NOW_HEADER) ?? '');
    if (!Number.isNaN(t)) return new Date(t);
  }
  return new Date();
}
