// JSON shapes of hooks (Gitea's; the secret is never shown) and of their deliveries.
import type { DeliveryRecord, HookRecord } from '../db/webhooks';

export function hookJson(h: HookRecord) {
  return {
    id: h.id,
    type: 'gitea',
    config: { url: h.url, content_type: h.contentType, http_method: 'post' },
    events: h.events,
    branch_filter: h.branchFilter,
    authorization_header: '',
    active: h.active,
    created_at: h.createdAt,
    updated_at: h.updatedAt,
  };
}

export function deliveryJson(d: DeliveryRecord) {
  return {
    id: d.id,
    guid: d.guid,
    event: d.event,
    action: d.action,
    status: d.state,
    delivered: d.state === 'delivered',
    attempts: d.attempts,
    next_attempt_at: d.nextAttemptAt === null ? null : new Date(d.nextAttemptAt).toISOString(),
    status_code: d.responseStatus,
    duration_ms: d.durationMs,
    created_at: d.createdAt,
    delivered_at: d.deliveredAt,
    request: { headers: d.requestHeaders, payload: d.payload },
    response: { status: d.responseStatus, headers: d.responseHeaders, body: d.responseBody, error: d.error },
  };
}
