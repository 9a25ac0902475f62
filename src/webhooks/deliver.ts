// One attempt at a delivery: Gitea's and GitHub's headers, the body signed with the hook's
// secret, sent only where ALLOWED_HOST_LIST allows (checked again here: the list may have
// changed since the hook was made), the answer recorded.
import type { AttemptOutcome, DeliveryRecord, HookRecord } from '../db/webhooks';
import { OutboundRefusedError, outboundFetch } from '../services/outbound/fetch';
import { DELIVERY_TIMEOUT_MS, RESPONSE_EXCERPT_BYTES, retryAt } from './config';
import { decryptSecret, signBody } from './crypto';

export async function deliveryHeaders(
  env: Env,
  hook: HookRecord,
  d: Pick<DeliveryRecord, 'guid' | 'event' | 'payload'>,
): Promise<Record<string, string>> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'User-Agent': 'Gitflare-Hookshot',
    'X-Gitea-Delivery': d.guid,
    'X-Gitea-Event': d.event,
    'X-Gitea-Event-Type': d.event,
    'X-Gogs-Delivery': d.guid,
    'X-Gogs-Event': d.event,
    'X-GitHub-Delivery': d.guid,
    'X-GitHub-Event': d.event,
    'X-GitHub-Event-Type': d.event,
    'X-GitHub-Hook-ID': String(hook.id),
  };
  const secret = await decryptSecret(env, hook.secret);
  if (secret !== '') {
    const signature = await signBody(secret, d.payload);
    headers['X-Gitea-Signature'] = signature;
    headers['X-Gogs-Signature'] = signature;
    headers['X-Hub-Signature-256'] = `sha256=${signature}`;
  }
  return headers;
}

async function excerpt(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  while (size < RESPONSE_EXCERPT_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => undefined);
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.byteLength;
  }
  return new TextDecoder().decode(bytes.subarray(0, RESPONSE_EXCERPT_BYTES));
}

/** Sends the delivery once; `now` is the time its retry is scheduled from. */
export async function attemptDelivery(
  env: Env,
  hook: HookRecord,
  d: DeliveryRecord,
  now: number,
): Promise<AttemptOutcome> {
  const requestHeaders = await deliveryHeaders(env, hook, d);
  const started = Date.now();
  let responseStatus: number | null = null;
  let responseHeaders: Record<string, string> = {};
  let responseBody = '';
  let error = '';
  let refused = false;
  try {
    const res = await outboundFetch(env, hook.url, {
      method: 'POST',
      headers: requestHeaders,
      body: d.payload,
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    responseStatus = res.status;
    responseHeaders = Object.fromEntries(res.headers);
    responseBody = await excerpt(res);
  } catch (e) {
    if (e instanceof OutboundRefusedError) {
      // Trying again would be refused again: the URL (or a redirect's) is not allowed.
      error = e.message;
      refused = true;
    } else if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError'))
      error = `no answer within ${DELIVERY_TIMEOUT_MS / 1000} s`;
    else error = e instanceof Error ? e.message : String(e);
  }
  const ok = responseStatus !== null && responseStatus >= 200 && responseStatus < 300;
  const attempts = d.attempts + 1;
  const next = ok || refused ? null : retryAt(env, now, attempts);
  return {
    state: ok ? 'delivered' : next === null ? 'failed' : 'pending',
    nextAttemptAt: next,
    requestHeaders,
    responseStatus,
    responseHeaders,
    responseBody,
    error,
    durationMs: Date.now() - started,
  };
}
