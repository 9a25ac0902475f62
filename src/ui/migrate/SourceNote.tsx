/**
 * Where a migrated repository or a mirror comes from, and how its migration stands: while it runs
 * the page reloads its data every MIGRATION_POLL_MS until it ends; a failed one says so, with
 * "Retry" (mirror-sync continues it) and "Delete" (asked twice) for admins; a mirror has "Sync now" for writers.
 */
import { useRouter } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useAction } from '../issues/use-action';
import { ErrorLine, postJson } from '../Layout';
import type { RepoSourceView, RepoView } from '../repo/server/view-types';
import { useSubmit } from '../use-submit';
import { MIGRATION_POLL_MS } from './use-migration-status';

function apiPath(repo: RepoView): string {
  return `/api/v1/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}`;
}

const count = (n: number) => n.toLocaleString('en-US');

function stage(source: RepoSourceView): string {
  const pack = source.pack;
  if (pack) {
    const mib = (pack.bytes / (1024 * 1024)).toFixed(1);
    return pack.phase === 'receiving'
      ? `receiving objects ${count(pack.done)} of ${count(pack.total)} (${mib} MiB)`
      : `resolving deltas ${count(pack.done)} of ${count(pack.total)}`;
  }
  if (!source.progress) return 'fetching the git data';
  return `importing ${source.progress.phase} (${source.progress.imported} items imported so far)`;
}

export function SourceNote({ repo, source }: { repo: RepoView; source: RepoSourceView }) {
  const router = useRouter();
  const { busy, error, act } = useAction();
  const removal = useSubmit();
  // Delete asks once more: the repository and what it holds go with it.
  const [confirming, setConfirming] = useState(false);
  const running = source.status === 'running';
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => void router.invalidate(), MIGRATION_POLL_MS);
    return () => clearInterval(timer);
  }, [running, router]);
  const sync = () => act(() => postJson(`${apiPath(repo)}/mirror-sync`, undefined));
  const what = source.mirror ? 'Mirror of' : 'Migrated from';
  return (
    <div className="rp-repo-source" data-migration-status={source.status} data-testid="repo-source">
      {running ? (
        <p role="status">
          Migrating from <code>{source.url}</code>: {stage(source)}…
        </p>
      ) : (
        <p>
          {what} <code>{source.url}</code>
          {source.status === 'failed' && (
            <strong role="alert"> — migration failed: {source.error ?? 'unknown error'}</strong>
          )}
          {source.status === 'done' && source.mirror && source.error && (
            <> — last sync failed: {source.error}</>
          )}
          {source.mirror && source.lastSyncAt && <> — last synced {source.lastSyncAt}</>}
        </p>
      )}
      {source.status === 'failed' && repo.canAdmin && (
        <p className="gf-actions">
          <button type="button" disabled={busy} onClick={() => void sync()}>
            Retry
          </button>
          <button
            type="button"
            className="danger"
            disabled={busy || removal.busy}
            onClick={() => {
              if (!confirming) {
                setConfirming(true);
                return;
              }
              void removal.submit(async () => {
                await postJson(apiPath(repo), undefined, 'DELETE');
                return `/${encodeURIComponent(repo.owner)}`;
              });
            }}
          >
            {confirming ? `Really delete ${repo.owner}/${repo.name}` : 'Delete'}
          </button>
          {confirming && (
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          )}
        </p>
      )}
      {source.status === 'done' && source.mirror && repo.canWrite && (
        <p className="gf-actions">
          <button type="button" disabled={busy} onClick={() => void sync()}>
            {busy ? 'Syncing…' : 'Sync now'}
          </button>
        </p>
      )}
      <ErrorLine error={error ?? removal.error} />
    </div>
  );
}
