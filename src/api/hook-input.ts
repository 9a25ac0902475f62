// A hook's fields from Gitea's CreateHookOption / EditHookOption: every field checked before
// anything is saved (422 with the reason).
import type { HookFields, HookRecord } from '../db/webhooks';
import { checkOutboundUrl, OutboundRefusedError } from '../services/outbound/fetch';
import { HOOK_EVENTS, isHookEvent } from '../webhooks/config';
import { encryptSecret } from '../webhooks/crypto';
import { compileGlob } from '../webhooks/glob';
import { type JsonObject, optionalBoolean, optionalString } from './body';
import { invalid } from './errors';

export const HOOK_URL_MAX = 2048;
export const HOOK_SECRET_MAX = 255;
export const BRANCH_FILTER_MAX = 255;

function configOf(body: JsonObject): JsonObject {
  const config = body.config;
  if (config === undefined || config === null) return {};
  if (typeof config !== 'object' || Array.isArray(config)) throw invalid('config must be an object');
  return config as JsonObject;
}

function checkUrl(env: Env, url: string): string {
  try {
    return checkOutboundUrl(env, url).toString();
  } catch (e) {
    if (e instanceof OutboundRefusedError) throw invalid(`config.url is refused: ${e.message}`);
    throw e;
  }
}

function events(body: JsonObject): string[] | undefined {
  const v = body.events;
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((e) => typeof e !== 'string'))
    throw invalid('events must be an array of strings');
  const unknown = (v as string[]).filter((e) => !isHookEvent(e));
  if (unknown.length > 0) {
    throw invalid(`unknown events: ${unknown.join(', ')} (known: ${HOOK_EVENTS.join(', ')})`);
  }
  return [...new Set(v as string[])];
}

function branchFilter(body: JsonObject): string | undefined {
  const f = optionalString(body, 'branch_filter', BRANCH_FILTER_MAX);
  if (f !== undefined && f !== '' && compileGlob(f) === null)
    throw invalid(`branch_filter is not a valid glob: ${f}`);
  return f;
}

function secret(config: JsonObject): string | undefined {
  const s = config.secret;
  if (s === undefined || s === null) return undefined;
  if (typeof s !== 'string') throw invalid('config.secret must be a string');
  if (s.length > HOOK_SECRET_MAX)
    throw invalid(`config.secret must be at most ${HOOK_SECRET_MAX} characters`);
  return s;
}

function contentType(config: JsonObject): string | undefined {
  const t = config.content_type;
  if (t === undefined || t === null) return undefined;
  if (t !== 'json') throw invalid('config.content_type must be "json"');
  return t;
}

function checkType(body: JsonObject): void {
  const t = body.type;
  if (t !== undefined && t !== null && t !== 'gitea') throw invalid('type must be "gitea"');
}

/** A new hook; `active` defaults to true and `events` to push, as GitHub's do. */
export async function newHookFields(env: Env, body: JsonObject): Promise<HookFields> {
  checkType(body);
  const config = configOf(body);
  const url = config.url;
  if (typeof url !== 'string' || url === '') throw invalid('config.url is required');
  if (url.length > HOOK_URL_MAX) throw invalid(`config.url must be at most ${HOOK_URL_MAX} characters`);
  const fields = {
    url: checkUrl(env, url),
    contentType: contentType(config) ?? 'json',
    secret: secret(config) ?? '',
    events: events(body) ?? ['push'],
    branchFilter: branchFilter(body) ?? '',
    active: optionalBoolean(body, 'active') ?? true,
  };
  return { ...fields, secret: await encryptSecret(env, fields.secret) };
}

/** The hook's fields after an edit: what the body names replaces what was there. */
export async function editedHookFields(env: Env, hook: HookRecord, body: JsonObject): Promise<HookFields> {
  checkType(body);
  const config = configOf(body);
  const url = config.url;
  if (url !== undefined && (typeof url !== 'string' || url === '')) throw invalid('config.url must be a URL');
  if (typeof url === 'string' && url.length > HOOK_URL_MAX)
    throw invalid(`config.url must be at most ${HOOK_URL_MAX} characters`);
  const newSecret = secret(config);
  return {
    url: typeof url === 'string' ? checkUrl(env, url) : hook.url,
    contentType: contentType(config) ?? hook.contentType,
    secret: newSecret === undefined ? hook.secret : await encryptSecret(env, newSecret),
    events: events(body) ?? hook.events,
    branchFilter: branchFilter(body) ?? hook.branchFilter,
    active: optionalBoolean(body, 'active') ?? hook.active,
  };
}
