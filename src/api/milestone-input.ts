// Milestone input: the `milestone` id of an issue or pull request, the `?milestones=` list
// filter, and a milestone's own fields; every problem is a 422 found before anything is written.
import { findMilestonesByTitles, getMilestone } from '../db/milestones';
import type { JsonObject } from './body';
import { invalid } from './errors';

export const MILESTONE_TITLE_MAX = 255;
export const MILESTONE_DESCRIPTION_MAX = 65_536;

/**
 * The `milestone` of an issue (Gitea: an id). undefined when not given; null to remove it
 * (null, or 0 as Gitea's clients send).
 */
export async function resolveMilestone(
  db: D1Database,
  repoId: number,
  o: JsonObject,
): Promise<number | null | undefined> {
  const v = o.milestone;
  if (v === undefined) return undefined;
  if (v === null || v === 0) return null;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    throw invalid('milestone must be a milestone id');
  if (!(await getMilestone(db, repoId, v))) throw invalid(`unknown milestone: ${v}`);
  return v;
}

/**
 * Gitea's `?milestones=` (comma-separated titles or ids; `none` for no milestone): the ids, or
 * null when one names nothing (the list then matches nothing, as for labels); undefined when absent.
 */
export async function milestoneFilter(
  db: D1Database,
  repoId: number,
  query: string | undefined,
): Promise<number[] | null | undefined> {
  const items = [
    ...new Set(
      (query ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ].slice(0, 20);
  if (items.length === 0) return undefined;
  const named = await findMilestonesByTitles(
    db,
    repoId,
    items.filter((i) => i !== 'none'),
  );
  const ids: number[] = [];
  for (const item of items) {
    if (item === 'none') {
      ids.push(0);
      continue;
    }
    const byTitle = named.filter((m) => m.title.toLowerCase() === item.toLowerCase());
    if (byTitle.length > 0) {
      ids.push(...byTitle.map((m) => m.id));
      continue;
    }
    // Titles first, then ids, as Gitea.
    const id = /^[1-9][0-9]{0,15}$/.test(item) ? Number(item) : 0;
    if (id === 0 || !(await getMilestone(db, repoId, id))) return null;
    ids.push(id);
  }
  return ids;
}

export function checkMilestoneTitle(v: unknown): string {
  if (typeof v !== 'string') throw invalid('title must be a string');
  const t = v.trim();
  if (t === '') throw invalid('title must not be empty');
  if (t.length > MILESTONE_TITLE_MAX)
    throw invalid(`title must be at most ${MILESTONE_TITLE_MAX} characters`);
  if (/[\r\n]/.test(t)) throw invalid('title must be a single line');
  return t;
}

export function checkMilestoneDescription(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalid('description must be a string');
  if (v.length > MILESTONE_DESCRIPTION_MAX)
    throw invalid(`description must be at most ${MILESTONE_DESCRIPTION_MAX} characters`);
  return v;
}

/** A due date: an RFC 3339 time, kept as ISO; null clears it. */
export function checkDueOn(v: unknown): string | null | undefined {
  if (v === undefined) return undefined;
  if (v === null || v === '') return null;
  const t = typeof v === 'string' ? Date.parse(v) : Number.NaN;
  if (!Number.isFinite(t)) throw invalid('due_on must be a date and time such as 2026-12-31T00:00:00Z');
  return new Date(t).toISOString();
}

export function checkMilestoneState(v: unknown): 'open' | 'closed' | undefined {
  if (v === undefined || v === null) return undefined;
  if (v !== 'open' && v !== 'closed') throw invalid('state must be "open" or "closed"');
  return v;
}
