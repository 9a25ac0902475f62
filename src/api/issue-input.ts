// Checking issue, comment and label input: every problem is a 422 found before anything is
// written, so a refused request changes nothing.
import { findAssignableUsers } from '../db/issue-assignees';
import { findLabelsByIds, findLabelsByNames, type LabelRecord } from '../db/labels';
import type { JsonObject } from './body';
import { invalid } from './errors';

export const TITLE_MAX = 255;
export const BODY_MAX = 65_536;
export const LABEL_NAME_MAX = 50;
export const LABEL_DESCRIPTION_MAX = 200;
export const LABELS_MAX = 50;
export const ASSIGNEES_MAX = 10;
/** Bodies may be up to BODY_MAX characters; JSON escaping and UTF-8 can make that 6x the bytes. */
export const ISSUE_JSON_MAX = 6 * BODY_MAX + 16 * 1024;

/** A title: trimmed, 1..TITLE_MAX characters, one line. */
export function checkTitle(v: unknown): string {
  if (v === undefined || v === null) throw invalid('title is required');
  if (typeof v !== 'string') throw invalid('title must be a string');
  const t = v.trim();
  if (t === '') throw invalid('title must not be empty');
  if (t.length > TITLE_MAX) throw invalid(`title must be at most ${TITLE_MAX} characters`);
  if (/[\r\n]/.test(t)) throw invalid('title must be a single line');
  return t;
}

export function checkBody(v: unknown, required: boolean): string | undefined {
  if (v === undefined || v === null) {
    if (required) throw invalid('body is required');
    return undefined;
  }
  if (typeof v !== 'string') throw invalid('body must be a string');
  if (v.length > BODY_MAX) throw invalid(`body must be at most ${BODY_MAX} characters`);
  if (required && v.trim() === '') throw invalid('body must not be empty');
  return v;
}

export function checkState(v: unknown): 'open' | 'closed' | undefined {
  if (v === undefined || v === null) return undefined;
  if (v !== 'open' && v !== 'closed') throw invalid('state must be "open" or "closed"');
  return v;
}

/** Labels by id (Gitea) or by name; all must be the repository's. */
export async function resolveLabels(
  db: D1Database,
  repoId: number,
  o: JsonObject,
  key: string,
): Promise<LabelRecord[] | undefined> {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw invalid(`${key} must be an array of label ids`);
  if (v.length > LABELS_MAX) throw invalid(`${key} may hold at most ${LABELS_MAX} labels`);
  const ids = new Set<number>();
  const names = new Set<string>();
  for (const item of v) {
    if (typeof item === 'number' && Number.isSafeInteger(item) && item > 0) ids.add(item);
    else if (typeof item === 'string' && item.length > 0 && item.length <= LABEL_NAME_MAX)
      names.add(item.toLowerCase());
    else throw invalid(`${key} must be an array of label ids`);
  }
  const [byId, byName] = await Promise.all([
    findLabelsByIds(db, repoId, [...ids]),
    findLabelsByNames(db, repoId, [...names]),
  ]);
  const missingIds = [...ids].filter((id) => !byId.some((l) => l.id === id));
  const missingNames = [...names].filter((n) => !byName.some((l) => l.name.toLowerCase() === n));
  const missing = [...missingIds.map(String), ...missingNames];
  if (missing.length > 0) throw invalid(`unknown label: ${missing.join(', ')}`);
  const all = new Map<number, LabelRecord>();
  for (const l of [...byId, ...byName]) all.set(l.id, l);
  return [...all.values()];
}

/** Assignees by login; each must be the owner or a collaborator with write access. */
export async function resolveAssignees(
  db: D1Database,
  repoId: number,
  o: JsonObject,
): Promise<{ id: number; login: string }[] | undefined> {
  const v = o.assignees;
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x.length === 0 || x.length > 100)) {
    throw invalid('assignees must be an array of user names');
  }
  const logins = [...new Set((v as string[]).map((l) => l.toLowerCase()))];
  if (logins.length > ASSIGNEES_MAX) throw invalid(`at most ${ASSIGNEES_MAX} assignees`);
  const found = await findAssignableUsers(db, repoId, logins);
  const missing = logins.filter((l) => !found.some((u) => u.login.toLowerCase() === l));
  if (missing.length > 0) throw invalid(`unknown or unassignable user: ${missing.join(', ')}`);
  return found;
}

/** A label color: `#rrggbb` or `rrggbb`, kept as six lower-case digits. */
export function checkColor(v: unknown): string {
  if (typeof v !== 'string' || !/^#?[0-9a-fA-F]{6}$/.test(v))
    throw invalid('color must be a hex color like #d73a4a');
  return v.replace('#', '').toLowerCase();
}

export function checkLabelName(v: unknown): string {
  if (typeof v !== 'string') throw invalid('name must be a string');
  const n = v.trim();
  if (n === '') throw invalid('name must not be empty');
  if (n.length > LABEL_NAME_MAX) throw invalid(`name must be at most ${LABEL_NAME_MAX} characters`);
  if (/[\r\n,]/.test(n)) throw invalid('name must be one line without commas');
  return n;
}
