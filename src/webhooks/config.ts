// Webhook settings: the events a hook may subscribe to, and the delivery queue's timing.

declare global {
  interface Env {
    /** Public origin of the server (Better Auth's setting), for the links in payloads. */
    readonly BETTER_AUTH_URL?: string;
    /** First retry delay of a failed delivery, in ms (default 10 s; each next one 6 times longer). */
    readonly WEBHOOK_RETRY_DELAY_MS?: string;
  }
}

export const HOOK_EVENTS = [
  'push',
  'create',
  'delete',
  'issues',
  'issue_comment',
  'pull_request',
  'pull_request_review',
  'release',
  'status',
] as const;

export type HookEvent = (typeof HOOK_EVENTS)[number];

export function isHookEvent(s: string): s is HookEvent {
  return (HOOK_EVENTS as readonly string[]).includes(s);
}

/** Attempts per delivery: the first, then retries after 10 s, 1 min, 6 min and 36 min. */
export const MAX_ATTEMPTS = 5;
const DEFAULT_RETRY_DELAY_MS = 10_000;
const BACKOFF_FACTOR = 6;
/** Gitea's DELIVER_TIMEOUT default. */
export const DELIVERY_TIMEOUT_MS = 5_000;
/** Deliveries kept per hook (the oldest are dropped). */
export const DELIVERIES_KEPT = 20;
/** The receiver's answer kept in the log, at most. */
export const RESPONSE_EXCERPT_BYTES = 4096;

/** When to try again after `attempts` failed attempts, or null when they are exhausted. */
export function retryAt(env: Env, now: number, attempts: number): number | null {
  if (attempts >= MAX_ATTEMPTS) return null;
  const base = Number(env.WEBHOOK_RETRY_DELAY_MS) || DEFAULT_RETRY_DELAY_MS;
  return now + base * BACKOFF_FACTOR ** (attempts - 1);
}

/** The origin links in payloads use: the configured public one, else the request's. */
export function publicOrigin(env: Env, requestUrl: string): string {
  return env.BETTER_AUTH_URL?.trim().replace(/\/+$/, '') || new URL(requestUrl).origin;
}
