import { useState } from 'react';
import type { RepoView } from '../../repo/server/view-types';
import { repoUrl } from '../../repo/urls';
import type { PullDetail } from '../types';

const STYLES = [
  ['merge', 'Create a merge commit'],
  ['squash', 'Squash and merge'],
  ['rebase', 'Rebase and merge'],
  ['fast-forward-only', 'Fast-forward only'],
] as const;

function statusText(p: PullDetail): string {
  if (p.headDeleted) return `The head branch '${p.headBranch}' was deleted.`;
  if (p.baseDeleted) return `The base branch '${p.baseBranch}' was deleted.`;
  switch (p.mergeable) {
    case 'mergeable':
      return 'This branch has no conflicts with the base branch.';
    case 'conflict':
      return 'This branch has conflicts that must be resolved:';
    case 'up_to_date':
      return `'${p.baseBranch}' already contains everything on '${p.headBranch}'.`;
    case 'unrelated':
      return 'The branches have entirely different histories.';
    case 'unknown':
      return `Whether this branch merges cleanly is not checked here: ${p.mergeableReason ?? 'it is too large'}.`;
    default:
      return 'The branches cannot be compared.';
  }
}

/** Mergeability and, for writers, the merge button (it calls the REST API with the session). */
export function MergeBox({ repo, pull, canWrite }: { repo: RepoView; pull: PullDetail; canWrite: boolean }) {
  const [style, setStyle] = useState<string>('merge');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (pull.merged) {
    return (
      <div className="pr-box" data-testid="merge-box">
        Merged by {pull.mergedBy ?? 'ghost'} ({pull.mergeStyle}) as{' '}
        <a href={`${repoUrl(repo)}/commit/${pull.mergeCommitSha}`}>
          <code>{pull.mergeCommitSha?.slice(0, 7)}</code>
        </a>
        .{pull.headDeleted ? ' The head branch was deleted.' : ''}
      </div>
    );
  }
  if (pull.state !== 'open') return <div className="pr-box">This pull request is closed.</div>;
  // Unknown (too large to check on each view) may still be merged: the merge itself reports conflicts.
  const ok =
    (pull.mergeable === 'mergeable' || pull.mergeable === 'unknown') &&
    !pull.headDeleted &&
    !pull.baseDeleted;
  const merge = async () => {
    setBusy(true);
    setError(null);
    const res = await fetch(
      `/api/v1/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}/pulls/${pull.number}/merge`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        credentials: 'same-origin',
        body: JSON.stringify({ Do: style, head_commit_id: pull.headSha }),
      },
    );
    if (res.ok) {
      window.location.reload();
      return;
    }
    const body = (await res.json().catch(() => ({}))) as { message?: string };
    setError(body.message ?? `merge failed (${res.status})`);
    setBusy(false);
  };
  return (
    <div className={`pr-box ${ok ? 'pr-box-ok' : 'pr-box-bad'}`} data-testid="merge-box">
      <p>{statusText(pull)}</p>
      {pull.conflicts.length > 0 ? (
        <ul data-testid="conflicts">
          {pull.conflicts.map((p) => (
            <li key={p}>
              <code>{p}</code>
            </li>
          ))}
        </ul>
      ) : null}
      {canWrite && ok ? (
        <div className="pr-form">
          <select value={style} onChange={(e) => setStyle(e.target.value)} aria-label="Merge style">
            {STYLES.map(([v, label]) => (
              <option key={v} value={v}>
                {label}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="rp-button"
            disabled={busy}
            onClick={() => void merge()}
            data-testid="merge-button"
          >
            Merge pull request
          </button>
        </div>
      ) : null}
      {error ? <p className="pr-error">{error}</p> : null}
    </div>
  );
}
