/**
 * A repository fetched from its source (a migration, a pull mirror's sync), run inside the
 * repository's object: it can take as long as the source needs, and no request body cap applies.
 * The outcome is recorded on the repository (status, error) whatever happens; an object that ends
 * mid-fetch leaves a marker that its next instance turns into a failed status.
 */
import { findImport } from '../db/migration-import';
import { findMirror, type MirrorRecord, recordFetch } from '../db/mirrors';
import { isGitError } from '../git/errors';
import { type FetchPackProgress, type FetchResult, fetchInto } from '../git/fetch/fetch';
import type { GitRepository } from '../git/protocol/repository';
import type { ReceiveLimits } from '../git/push/receive-objects';
import { deleteMeta, readMeta, writeMeta } from './meta';
import { remoteAccess } from './remote-access';

export type SourceFetchOutcome =
  | {
      readonly ok: true;
      readonly result: FetchResult;
      readonly mirror: MirrorRecord;
      /** A Gitea-service migration's import is still to run (or finish) after the git data. */
      readonly importPending: boolean;
    }
  | { readonly ok: false; readonly message: string; readonly mirror: MirrorRecord | null };

const RUNNING_KEY = 'fetch_running';

/** The refs a Gitea-service migration fetches: pull requests' heads besides branches and tags. */
export const GITEA_REF_PREFIXES: readonly string[] = ['refs/heads/', 'refs/tags/', 'refs/pull/'];

export interface SourceFetchContext {
  readonly env: Env;
  readonly sql: SqlStorage;
  readonly repoId: number;
  readonly repo: GitRepository;
  readonly limits: ReceiveLimits;
  readonly agent: string;
  /** Told how far the pack has come as it streams in. */
  readonly onPack?: (p: FetchPackProgress) => void;
}

export async function fetchSource(ctx: SourceFetchContext): Promise<SourceFetchOutcome> {
  const mirror = await findMirror(ctx.env.DB, ctx.repoId);
  if (!mirror) return { ok: false, message: 'the repository has no source to fetch from', mirror };
  writeMeta(ctx.sql, RUNNING_KEY, String(Date.now()));
  try {
    const access = remoteAccess();
    const authorization = mirror.credentials
      ? await access.openCredentials(ctx.env, mirror.credentials)
      : null;
    if (mirror.credentials && authorization === null) {
      throw new UnreadableCredentials();
    }
    const transport = access.transport(ctx.env, mirror.cloneAddr, authorization);
    // A Gitea-service migration keeps pull requests' heads (refs/pull/{n}/head) too.
    const giteaImport = await findImport(ctx.env.DB, ctx.repoId);
    const refPrefixes = giteaImport ? GITEA_REF_PREFIXES : undefined;
    const result = await fetchInto(ctx.repo, transport, {
      ...ctx.limits,
      agent: ctx.agent,
      prune: true,
      refPrefixes,
      onPack: ctx.onPack,
    });
    // The repository stays 'running' until its import is done too.
    const importPending = giteaImport !== null && giteaImport.phase !== 'done';
    await recordFetch(ctx.env.DB, ctx.repoId, { status: 'done', importPending });
    return { ok: true, result, mirror, importPending };
  } catch (e) {
    const message = describeFailure(e);
    await recordFetch(ctx.env.DB, ctx.repoId, { status: 'failed', error: message });
    return { ok: false, message, mirror };
  } finally {
    deleteMeta(ctx.sql, RUNNING_KEY);
  }
}

class UnreadableCredentials extends Error {
  constructor() {
    super('the stored credentials cannot be read (the server secret changed)');
  }
}

/** After a restart: a fetch the previous instance did not finish is recorded as failed. */
export async function recordInterruptedFetch(
  env: Env,
  sql: SqlStorage,
  repoId: number | null,
): Promise<void> {
  if (readMeta(sql, RUNNING_KEY) === null || repoId === null) return;
  await recordFetch(env.DB, repoId, { status: 'failed', error: 'the fetch was interrupted; try again' });
  deleteMeta(sql, RUNNING_KEY);
}

/** What the user reads: engine and refusal messages as they are, a network failure named, nothing else. */
function describeFailure(e: unknown): string {
  if (isGitError(e) || e instanceof UnreadableCredentials || remoteAccess().isRefusal(e)) return e.message;
  if (e instanceof TypeError) return 'could not reach the source';
  console.error('fetch from source failed', e);
  return 'the fetch failed';
}
