/**
 * A Gitea-service migration's import (issues, pull requests, releases... read from the source's
 * API) runs on the repository object's alarm, one bounded step per invocation. The steps belong to
 * the services layer: the Worker's entry provides them at start-up, and this layer only calls them
 * and schedules the next.
 */

/** What one step left: more to do at once, a wait the source asked for, or nothing (done or failed). */
export type ImportStep =
  | { readonly kind: 'more' }
  | { readonly kind: 'wait'; readonly at: number }
  | { readonly kind: 'finished' };

export interface ImportRunner {
  /** Runs the next bounded step of repository `repoId`'s import, recording its progress. */
  step(env: Env, repoId: number): Promise<ImportStep>;
}

let provided: ImportRunner | null = null;

/** Set by the Worker's entry before any request is served. */
export function provideImportRunner(runner: ImportRunner): void {
  provided = runner;
}

/** The provided runner; without one the import cannot run (the alarm logs it and stops). */
export function importRunner(): ImportRunner {
  if (!provided) throw new Error('no import runner was provided to the repository object');
  return provided;
}
