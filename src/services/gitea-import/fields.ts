// Reading the source's JSON (another server's answers: nothing is trusted to have a field or a type).
import { ImportError } from './source';

export type Json = Record<string, unknown>;

/** What this server keeps of a title and a body (the API's own bounds). */
export const TITLE_MAX = 255;
export const BODY_MAX = 65_536;

export function str(o: Json, key: string): string {
  const v = o[key];
  return typeof v === 'string' ? v : '';
}

export function optStr(o: Json, key: string): string | null {
  const v = o[key];
  return typeof v === 'string' && v !== '' ? v : null;
}

export function id(o: Json, key = 'id'): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0)
    throw new ImportError(`the source sent an item without a valid ${key}`);
  return v;
}

export function obj(o: Json, key: string): Json | null {
  const v = o[key];
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : null;
}

export function list(o: Json, key: string): Json[] {
  const v = o[key];
  return Array.isArray(v) ? v.filter((x): x is Json => typeof x === 'object' && x !== null) : [];
}

/** A time of the source as ISO 8601; `fallback` when absent or unreadable (Gitea's zero time too). */
export function time(o: Json, key: string, fallback: string): string {
  const t = Date.parse(str(o, key));
  return Number.isFinite(t) && t > 0 ? new Date(t).toISOString() : fallback;
}

export function optTime(o: Json, key: string): string | null {
  const t = Date.parse(str(o, key));
  return Number.isFinite(t) && t > 0 ? new Date(t).toISOString() : null;
}

export function state(o: Json): 'open' | 'closed' {
  return o.state === 'closed' ? 'closed' : 'open';
}

/** Clipped to what this server keeps (a longer title or body than ours allow is cut, not refused). */
export function clip(s: string, max: number): string {
  return s.length > max ? s.slice(0, max) : s;
}
