import { useRouter } from '@tanstack/react-router';
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

/** The styles the repository's settings allow, in the menu's order, and the one preselected. */
export function allowedStyles(repo: RepoView): { styles: (typeof STYLES)[number][]; preselected: string } {
  const allowed = repo.mergeStyles;
  const styles = allowed ? STYLES.filter(([v]) => allowed.includes(v)) : [...STYLES];
  const preselected = styles.find(([v]) => v === repo.defaultMergeStyle)?.[0] ?? styles[0]?.[0] ?? 'merge';
  return { styles, preselected };
}

interface MergeBoxProps {
  repo: RepoView;
  pull: PullDetail;
  canWrite: boolean;
  /** Why the base branch's rule refuses the merge now (then auto-merge is offered), else null. */
  blocked?: string | null;
  autoMerge?: { by: string | null; style: string } | null;
}

/**
 * Mergeability and, for writers, the merge button in the styles the settings allow (the default
 * preselected), or "merge when checks succeed" while the rule is unmet, and a scheduled
 * auto-merge with its cancel button. It calls the REST API with the session. Archived
 * repositories get no merge box.
 */
export function MergeBox({ repo, pull, canWrite, blocked = null, autoMerge = null }: MergeBoxProps) {
  const { styles, preselected } = allowedStyles(repo);
  const [style, setStyle] = useState<string>(preselected);
  const [deleteBranch, setDeleteBranch] = useState(repo.defaultDeleteBranchAfterMerge ?? false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const router = useRouter();
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
  if (repo.archived) return null;
  // Unknown (too large to check on each view) may still be merged: the merge itself reports conflicts.
  const ok =
    (pull.mergeable === 'mergeable' || pull.mergeable === 'unknown') &&
    !pull.headDeleted &&
    !pull.baseDeleted;
  const send = async (method: 'POST' | 'DELETE', body?: object) => {
    setBusy(true);
    setError(null);
    const res = await fetch(
      `/api/v1/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}/pulls/${pull.number}/merge`,
      {
        method,
        headers: { 'Content-Type': 'application/json' },
        credentials: 'same-origin',
        body: body && JSON.stringify(body),
      },
    );
    if (res.ok) {
      // The header, tabs and this box all change: load the page's data again (no new document,
      // so the page stays usable while it loads).
      await router.invalidate();
      setBusy(false);
      return;
    }
    const answer = (await res.json().catch(() => ({}))) as { message?: string };
    setError(answer.message ?? `request failed (${res.status})`);
    setBusy(false);
  };
  const order = {
    Do: style,
    head_commit_id: pull.headSha,
    delete_branch_after_merge: deleteBranch,
    ...(blocked ? { merge_when_checks_succeed: true } : {}),
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
      {autoMerge ? (
        <div className="pr-form" data-testid="auto-merge">
          <p>
            This pull request will merge automatically when checks pass ({autoMerge.style}, scheduled by{' '}
            {autoMerge.by ?? 'ghost'}).
          </p>
          {canWrite ? (
            <button
              type="button"
              className="rp-button"
              disabled={busy}
              onClick={() => void send('DELETE')}
              data-testid="cancel-auto-merge"
            >
              Cancel auto-merge
            </button>
          ) : null}
        </div>
      ) : canWrite && ok && styles.length === 0 ? (
        <p>No merge style is allowed by this repository&apos;s settings.</p>
      ) : canWrite && ok ? (
        <div className="pr-form">
          <select value={style} onChange={(e) => setStyle(e.target.value)} aria-label="Merge style">
            {styles.map(([v, label]) => (
              <option key={v} value={v}>
                {label}
              </option>
            ))}
          </select>
          <label>
            <input
              type="checkbox"
              checked={deleteBranch}
              onChange={(e) => setDeleteBranch(e.target.checked)}
              data-testid="delete-branch"
            />{' '}
            Delete the branch after merging
          </label>
          <button
            type="button"
            className="rp-button"
            disabled={busy}
            onClick={() => void send('POST', order)}
            data-testid="merge-button"
          >
            {blocked ? 'Merge when checks succeed' : 'Merge pull request'}
          </button>
        </div>
      ) : null}
      {error ? <p className="pr-error">{error}</p> : null}
    </div>
  );
}
