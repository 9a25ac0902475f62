// Reading and checking JSON request bodies: 413 when too big, 400 when not JSON (or not an
// object), 422 when a field is missing or wrong.
import type { Context } from 'hono';
import { ApiError, badRequest, invalid } from './errors';

export const MAX_JSON_BYTES = 64 * 1024;

export type JsonObject = Record<string, unknown>;

export async function readJsonObject(c: Context, maxBytes = MAX_JSON_BYTES): Promise<JsonObject> {
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > maxBytes) throw new ApiError(413, `request body is larger than ${maxBytes} bytes`);
  const body = c.req.raw.body;
  if (!body) throw badRequest('a JSON body is required');
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new ApiError(413, `request body is larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const ch of chunks) {
    bytes.set(ch, at);
    at += ch.byteLength;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw badRequest('request body is not UTF-8');
  }
  if (text.trim() === '') throw badRequest('a JSON body is required');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest('request body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest('request body must be a JSON object');
  }
  return value as JsonObject;
}

export function requiredString(o: JsonObject, key: string, max: number): string {
  const v = o[key];
  if (v === undefined || v === null) throw invalid(`${key} is required`);
  if (typeof v !== 'string') throw invalid(`${key} must be a string`);
  if (v.length > max) throw invalid(`${key} must be at most ${max} characters`);
  return v;
}

export function optionalString(o: JsonObject, key: string, max: number): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalid(`${key} must be a string`);
  if (v.length > max) throw invalid(`${key} must be at most ${max} characters`);
  return v;
}

export function optionalBoolean(o: JsonObject, key: string): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw invalid(`${key} must be true or false`);
  return v;
}

export function optionalStringArray(
  o: JsonObject,
  key: string,
  maxItems: number,
  maxLength: number,
): string[] | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw invalid(`${key} must be an array of strings`);
  if (v.length > maxItems) throw invalid(`${key} may hold at most ${maxItems} items`);
  for (const item of v) {
    if (typeof item !== 'string') throw invalid(`${key} must be an array of strings`);
    if (item.length > maxLength) throw invalid(`each of ${key} must be at most ${maxLength} characters`);
  }
  return v as string[];
}
