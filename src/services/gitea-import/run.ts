/**
 * A Gitea-service migration's import, after the git data: the source's labels, milestones,
 * issues, pull requests and releases, one page of one kind per step. Each step records where the
 * next one starts, so a failure (recorded on the repository, retried by mirror-sync) continues
 * where it stopped, and nothing is imported twice (items are recorded by source id).
 */
import {
  findImport,
  type ImportPhase,
  saveImportProgress,
  setMigrationStatus,
} from '../../db/migration-import';
import { OutboundRefusedError } from '../outbound/fetch';
import { sealingSecret, unseal } from '../outbound/sealed';
import { Authors } from './authors';
import { ImportError, type SourceApi } from './source';
import { importPage, type StepContext, type StepKind } from './steps';

const ORDER: readonly StepKind[] = ['labels', 'milestones', 'issues', 'pulls', 'releases'];

export type ImportOutcome = { ok: true; imported: number } | { ok: false; message: string };

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

/** Runs (or continues) the repository's import to its end; a repository without one is done. */
export async function runImport(
  env: Env,
  repoId: number,
  sleep?: SourceApi['sleep'],
): Promise<ImportOutcome> {
  const db = env.DB;
  const record = await findImport(db, repoId);
  if (!record) return { ok: true, imported: 0 };
  if (record.phase === 'done') return { ok: true, imported: record.imported };
  await setMigrationStatus(db, repoId, 'running');
  let { page, imported } = record;
  let phase: ImportPhase = record.phase;
  try {
    const authorization = record.credentials
      ? await unseal(sealingSecret(env) ?? '', record.credentials)
      : null;
    if (record.credentials && authorization === null)
      throw new ImportError('the stored credentials cannot be read (the server secret changed)');
    const ctx: StepContext = {
      env,
      repoId,
      options: record.options,
      api: { env, base: record.options.apiBase, authorization, sleep },
      authors: new Authors(db, record.options.migratorId),
    };
    if (!wanted(record.phase, ctx)) phase = nextPhase(ctx, ORDER.indexOf(record.phase));
    while (phase !== 'done') {
      const step = await importPage(ctx, phase, page);
      imported += step.count;
      if (step.next) page++;
      else {
        phase = nextPhase(ctx, ORDER.indexOf(phase) + 1);
        page = 1;
      }
      await saveImportProgress(db, repoId, { phase, page, imported });
    }
    await setMigrationStatus(db, repoId, 'done');
    return { ok: true, imported };
  } catch (e) {
    const message = describe(e);
    await saveImportProgress(db, repoId, { phase, page, imported, error: message });
    await setMigrationStatus(db, repoId, 'failed', `importing ${phase}: ${message}`);
    return { ok: false, message: `importing ${phase}: ${message}` };
  }
}

function describe(e: unknown): string {
  if (e instanceof ImportError || e instanceof OutboundRefusedError) return e.message;
  console.error('migration import failed', e);
  return 'the import failed';
}
