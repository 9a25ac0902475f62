import type { CommitSummary } from '../../../git/browse/request';
import { formatDate, shortOid } from '../format';
import type { RepoView } from '../server/view-types';
import { urls } from '../urls';
import { StatusMark } from './StatusMark';

/** Commits newest first; `statuses` (combined commit status by id) adds a mark beside each. */
export function CommitList({
  repo,
  commits,
  statuses = {},
}: {
  repo: RepoView;
  commits: CommitSummary[];
  statuses?: Record<string, string>;
}) {
  return (
    <ul className="rp-box rp-commits" data-testid="commit-list">
      {commits.map((c) => (
        <li key={c.oid} className="rp-commit">
          <div>
            <a href={urls.commit(repo, c.oid)} className="rp-msg">
              {c.summary}
            </a>{' '}
            <StatusMark state={statuses[c.oid] ?? null} />
            <div className="rp-muted">
              {c.author.name} committed on {formatDate(c.committer.time)}
            </div>
          </div>
          <div className="rp-commit-links">
            <a href={urls.commit(repo, c.oid)} className="rp-oid">
              {shortOid(c.oid)}
            </a>
            <a href={urls.tree(repo, c.oid)} className="rp-muted" title="Browse the files at this commit">
              Browse
            </a>
          </div>
        </li>
      ))}
    </ul>
  );
}
