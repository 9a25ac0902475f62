// Limits on failed password attempts, per account and per client address, for every door that
// takes a password (HTTP Basic on the API and git, the sign-in forms). Counted in RateLimiter
// objects; asked before a password is hashed, so a refused guess costs no hash.
import { TooManyAttemptsError } from './errors';
import type { AttemptGrant, LimitPolicy } from './rate-limiter-object';

export interface PasswordLimits {
  account: LimitPolicy;
  address: LimitPolicy;
}

const DEFAULTS = { perAccount: 10, perAddress: 100, windowSeconds: 900 };

function positiveInt(env: object, name: string, fallback: number): number {
  const raw = (env as Record<string, unknown>)[name];
  const n = typeof raw === 'string' ? Number(raw.trim()) : Number.NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : fallback;
}

/** The limits from AUTH_FAILURES_PER_ACCOUNT, AUTH_FAILURES_PER_ADDRESS and
 * AUTH_FAILURE_WINDOW_SECONDS (defaults: 10 and 100 failures in 15 minutes). */
export function readPasswordLimits(env: object): PasswordLimits {
  const windowMs = positiveInt(env, 'AUTH_FAILURE_WINDOW_SECONDS', DEFAULTS.windowSeconds) * 1000;
  return {
    account: { limit: positiveInt(env, 'AUTH_FAILURES_PER_ACCOUNT', DEFAULTS.perAccount), windowMs },
    address: { limit: positiveInt(env, 'AUTH_FAILURES_PER_ADDRESS', DEFAULTS.perAddress), windowMs },
  };
}

/**
 * The client's address: Cloudflare sets CF-Connecting-IP on every request it forwards (replacing
 * whatever the client sent); the local runtime sets it from the socket unless the client sent one.
 */
export function clientAddress(request: Request): string {
  return request.headers.get('cf-connecting-ip')?.trim() || 'unknown';
}

/** The limiter key of an account: its id when it exists, else the name that was tried (so that
 * unknown and known names are limited alike and a 429 tells nothing about existence). */
export function accountKey(userId: number | null, triedName: string): string {
  return userId !== null ? `user:${userId}` : `name:${triedName.trim().toLowerCase()}`;
}

function limiter(env: Env, key: string) {
  return env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(key));
}

interface Held {
  key: string;
  attempt: number;
  policy: LimitPolicy;
}

/**
 * Runs a password check (`check` answers whether it matched) under the limits of the account and
 * of the request's address. Throws TooManyAttemptsError, without running the check, when either
 * has had too many failures; a failed check counts against both.
 */
export async function limitPasswordCheck(
  env: Env,
  request: Request,
  account: string | null,
  check: () => Promise<boolean>,
): Promise<boolean> {
  const limits = readPasswordLimits(env);
  const wanted: { key: string; policy: LimitPolicy }[] = [
    { key: `address:${clientAddress(request)}`, policy: limits.address },
  ];
  if (account !== null) wanted.push({ key: `account:${account}`, policy: limits.account });
  const grants: AttemptGrant[] = await Promise.all(wanted.map((w) => limiter(env, w.key).acquire(w.policy)));
  const held: Held[] = [];
  let retryAfter = 0;
  grants.forEach((g, i) => {
    if (g.ok) held.push({ ...wanted[i], attempt: g.attempt });
    else retryAfter = Math.max(retryAfter, g.retryAfterSeconds);
  });
  const settle = (failed: boolean) =>
    Promise.all(held.map((h) => limiter(env, h.key).settle(h.attempt, failed, h.policy)));
  if (retryAfter > 0) {
    await settle(false);
    throw new TooManyAttemptsError(retryAfter);
  }
  let ok: boolean;
  try {
    ok = await check();
  } catch (err) {
    await settle(false); // not a wrong password: the check itself failed
    throw err;
  }
  await settle(!ok);
  return ok;
}
