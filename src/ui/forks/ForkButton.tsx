import { useState } from 'react';
import { ErrorLine, postJson } from '../Layout';
import type { RepoView } from '../repo/server/view-types';
import type { Viewer } from '../server-fns';

/**
 * "Fork" with the repository's fork count, as on GitHub: forks into the viewer's account through
 * the REST API (with the session) and opens the fork. Anonymous viewers are sent to sign in.
 */
export function ForkButton({ viewer, repo }: { viewer: Viewer | null; repo: RepoView }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const path = `/api/v1/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}/forks`;
  const fork = async () => {
    setBusy(true);
    setError(null);
    try {
      const made = await postJson<{ html_url: string }>(path, {});
      window.location.assign(new URL(made.html_url).pathname);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  };
  return (
    <span className="rp-fork">
      {viewer ? (
        <button
          type="button"
          className="rp-fork-button"
          onClick={fork}
          disabled={busy}
          data-testid="fork-button"
        >
          {busy ? 'Forking…' : 'Fork'}
        </button>
      ) : (
        <a className="rp-fork-button" href="/login">
          Fork
        </a>
      )}
      <span className="rp-fork-count" data-testid="fork-count" title="Forks">
        {repo.forksCount}
      </span>
      <ErrorLine error={error} />
    </span>
  );
}

/** "forked from owner/name" under a fork's title, while its parent exists, and "Sync fork" for
 * those who may push to it. */
export function ForkedFrom({ repo }: { repo: RepoView }) {
  if (!repo.parent) return null;
  const href = `/${encodeURIComponent(repo.parent.owner)}/${encodeURIComponent(repo.parent.name)}`;
  return (
    <>
      <p className="rp-forked-from" data-testid="forked-from">
        forked from <a href={href}>{`${repo.parent.owner}/${repo.parent.name}`}</a>
      </p>
      {repo.canWrite ? <SyncFork repo={repo} /> : null}
    </>
  );
}

const SYNC_RESULT: Record<string, string> = {
  'fast-forward': 'fast-forwarded to the upstream',
  merge: "the upstream's changes were merged",
  'up-to-date': 'already up to date',
};

/** "Sync fork": brings a branch (the default one under the header, any one on the branch list) up
 * to the parent's (POST .../merge-upstream) and shows what happened, or the API's refusal (a
 * conflict's 409 says which files). */
export function SyncFork({ repo, branch = repo.defaultBranch }: { repo: RepoView; branch?: string }) {
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const path = `/api/v1/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}/merge-upstream`;
  const sync = async () => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const r = await postJson<{ merge_type: string }>(path, { branch });
      setDone(`${branch}: ${SYNC_RESULT[r.merge_type] ?? r.merge_type}`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
    setBusy(false);
  };
  return (
    <p className="rp-sync-fork">
      <button
        type="button"
        className="rp-button"
        onClick={sync}
        disabled={busy}
        data-testid="sync-fork"
        data-branch={branch}
      >
        {busy ? 'Syncing…' : 'Sync fork'}
      </button>{' '}
      {done ? <span data-testid="sync-result">{done}</span> : null}
      <ErrorLine error={error} />
    </p>
  );
}
