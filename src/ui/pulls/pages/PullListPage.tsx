import type { RepoView } from '../../repo/server/view-types';
import { repoUrl, urls } from '../../repo/urls';
import type { Viewer } from '../../server-fns';
import { PullState } from '../components/PullState';
import { PullsLayout } from '../components/PullsLayout';
import type { PullPageData } from '../types';

type Data = Extract<PullPageData, { page: 'list' }>;

export function PullListPage({ viewer, repo, data }: { viewer: Viewer | null; repo: RepoView; data: Data }) {
  const base = repoUrl(repo);
  return (
    <PullsLayout viewer={viewer} repo={repo}>
      <nav className="rp-tabs">
        {(['open', 'closed', 'all'] as const).map((s) => (
          <a
            key={s}
            href={`${base}/pulls?state=${s}`}
            className={`rp-tab${data.state === s ? ' rp-tab-active' : ''}`}
          >
            {s[0].toUpperCase() + s.slice(1)}
          </a>
        ))}
        <span className="rp-spacer" />
        <a
          className="rp-button"
          href={
            // A fork's pull requests go to its parent, as on GitHub.
            repo.parent
              ? urls.compareHead(repo.parent, `${repo.owner}:${repo.defaultBranch}`)
              : urls.compare(repo, repo.defaultBranch, repo.defaultBranch)
          }
          data-testid="new-pull"
        >
          New pull request
        </a>
      </nav>
      {data.pulls.length === 0 ? (
        <p className="rp-note">No pull requests here.</p>
      ) : (
        <ul className="rp-box pr-list" data-testid="pull-list">
          {data.pulls.map((p) => (
            <li key={p.number}>
              <PullState pull={p} /> <a href={`${base}/pull/${p.number}`}>{p.title}</a>{' '}
              <span className="rp-muted">
                #{p.number} by {p.author ?? 'ghost'}: {p.headBranch} → {p.baseBranch}
              </span>
            </li>
          ))}
        </ul>
      )}
      {data.total > data.pulls.length ? (
        <p className="rp-muted">
          Showing the newest {data.pulls.length} of {data.total}.
        </p>
      ) : null}
    </PullsLayout>
  );
}
