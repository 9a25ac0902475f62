/**
 * A Gitea-service migration's import, after the git data: the source's labels, milestones,
 * issues, pull requests and releases, run by the repository object's alarm in bounded steps (see
 * budget.ts). Each step records where the next one starts (phase, page, item), so a failure
 * (recorded on the repository, retried by mirror-sync) or a rate limit's wait continues where it
 * stopped, and nothing is imported twice (items are recorded by source id).
 */
import {
  findImport,
  type ImportPhase,
  saveImportProgress,
  setMigrationStatus,
} from '../../db/migration-import';
import type { ImportStep } from '../../storage/import-runner';
import { OutboundRefusedError } from '../outbound/fetch';
import { sealingSecret, unseal } from '../outbound/sealed';
import { Authors } from './authors';
import { countingDb, stepBudget } from './budget';
import { ImportError, RateLimited } from './source';
import { type Cursor, importPage, type StepContext, type StepKind } from './steps';

const ORDER: readonly StepKind[] = ['labels', 'milestones', 'issues', 'pulls', 'releases'];

function wanted(kind: StepKind, ctx: StepContext): boolean {
  const o = ctx.options;
  return {
    labels: o.labels,
    milestones: o.milestones,
    issues: o.issues,
    pulls: o.pullRequests,
    releases: o.releases,
  }[kind];
}

/** The phase after `kind` that was asked for, or 'done'. */
function nextPhase(ctx: StepContext, after: number): ImportPhase {
  return ORDER.slice(after).find((k) => wanted(k, ctx)) ?? 'done';
}

/**
 * One step of the repository's import (a repository without one, or done, is finished): pages and
 * items until the step's subrequests are spent, then where the next step starts is saved.
 */
export async function runImportStep(env: Env, repoId: number): Promise<ImportStep> {
  const counted = countingDb(env.DB);
  const db = counted.db;
  const record = await findImport(db, repoId);
  if (!record || record.phase === 'done') return { kind: 'finished' };
  await setMigrationStatus(db, repoId, 'running');
  const at: Cursor = { page: record.page, item: record.item, imported: record.imported };
  let phase: ImportPhase = record.phase;
  const sent = { count: 0 };
  const budget = stepBudget(env);
  const left = () => sent.count + counted.prepared() < budget;
  const save = (error: string | null = null) => saveImportProgress(db, repoId, { phase, ...at, error });
  try {
    const authorization = record.credentials
      ? await unseal(sealingSecret(env) ?? '', record.credentials)
      : null;
    if (record.credentials && authorization === null)
      throw new ImportError('the stored credentials cannot be read (the server secret changed)');
    const ctx: StepContext = {
      env: { ...env, DB: db },
      repoId,
      options: record.options,
      api: { env, base: record.options.apiBase, authorization, sent },
      authors: new Authors(db, record.options.migratorId),
    };
    if (!wanted(record.phase, ctx)) phase = nextPhase(ctx, ORDER.indexOf(record.phase));
    while (phase !== 'done') {
      if (!left()) {
        await save();
        return { kind: 'more' };
      }
      const more = await importPage(ctx, phase, at, left);
      if (more === 'page') continue;
      if (more === 'next') at.page++;
      else {
        phase = nextPhase(ctx, ORDER.indexOf(phase) + 1);
        at.page = 1;
      }
      at.item = 0;
    }
    await save();
    await setMigrationStatus(db, repoId, 'done');
    return { kind: 'finished' };
  } catch (e) {
    if (e instanceof RateLimited) {
      await save();
      return { kind: 'wait', at: Date.now() + e.seconds * 1000 };
    }
    const message = describe(e);
    await save(message);
    await setMigrationStatus(db, repoId, 'failed', `importing ${phase}: ${message}`);
    return { kind: 'finished' };
  }
}

function describe(e: unknown): string {
  if (e instanceof ImportError || e instanceof OutboundRefusedError) return e.message;
  console.error('migration import failed', e);
  return 'the import failed';
}
