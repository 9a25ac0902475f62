/**
 * The repository object's side of a Gitea-service migration's import: each alarm of kind 'import'
 * runs one step (see import-runner.ts) and schedules the next: at once while there is more, at
 * the time the source's rate limit names, or not at all once it is done or failed. The steps read
 * the source's API and write the metadata database only, never the git data (a pull request's
 * head, when set, goes through fetchRef as any caller's), so they take no admission share and a
 * push or clone runs beside them.
 */
import { importRunner } from './import-runner';
import { incrementMeta, readMetaCount } from './meta';
import type { RepoCore } from './repo-core';

const STEPS_KEY = 'import_steps';
/** A step the object did not finish (evicted, restarted) is run again after this. */
const UNFINISHED_STEP_RETRY_MS = 5 * 60_000;

/** The next step as soon as the alarm can run it (a new import, or a retry from its cursor). */
export async function scheduleImport(core: RepoCore): Promise<void> {
  await core.alarms().set('import', Date.now());
}

/** Objects running a step now: a second one (the alarm beside an admin's run) is put off a second. */
const stepping = new WeakSet<RepoCore>();

/** One step of the import, then the alarm for the next. */
export async function runImportStep(core: RepoCore): Promise<void> {
  const id = core.repoId();
  if (id === null) return;
  const alarms = core.alarms();
  if (stepping.has(core)) {
    // The running step sets the next alarm when it ends; this only keeps the import scheduled.
    await alarms.set('import', Date.now() + 1000);
    return;
  }
  stepping.add(core);
  try {
    await step(core, id);
  } finally {
    stepping.delete(core);
  }
}

async function step(core: RepoCore, id: number): Promise<void> {
  incrementMeta(core.sql, STEPS_KEY);
  const alarms = core.alarms();
  await alarms.set('import', Date.now() + UNFINISHED_STEP_RETRY_MS);
  const next = await importRunner().step(core.env, id);
  if (next.kind === 'more') await alarms.set('import', Date.now());
  else if (next.kind === 'wait') await alarms.set('import', next.at);
  else await alarms.clear('import');
}

/** How many import steps this repository's alarm has run (for tests and operators). */
export function importSteps(core: RepoCore): number {
  return readMetaCount(core.sql, STEPS_KEY);
}
