/**
 * Maintenance's share of the commit graph: generation numbers for the history below the refs, so
 * that fetch negotiation, is-ancestor, merge bases and range walks stop where reachability is
 * decided (walk/generation.ts). The first run reads the whole history once (a fetch or page never
 * waits for that); later runs read what pushes added since.
 */

import type { GitRepository } from '../git/protocol/repository';
import { type FillResult, fillGenerations } from '../git/walk/generation';

/** Commits read per maintenance run at most; the rest waits for the next run. */
export const GENERATION_STEP_COMMITS = 200_000;

export async function fillRefGenerations(
  repo: GitRepository,
  budget = GENERATION_STEP_COMMITS,
): Promise<FillResult> {
  // A tag naming a tree or a blob is no commit: the fill leaves it (and only it) unknown.
  const tips = (await repo.refs.list()).map((r) => r.peeled ?? r.oid);
  return fillGenerations(repo.odb, tips, budget);
}
