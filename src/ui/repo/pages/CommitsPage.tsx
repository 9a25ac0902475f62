import type { Viewer } from '../../server-fns';
import { Breadcrumbs } from '../components/Breadcrumbs';
import { CommitList } from '../components/CommitList';
import { RefSwitcher } from '../components/RefSwitcher';
import { RepoLayout } from '../components/RepoLayout';
import type { PageData, RepoView } from '../server/view-types';
import { urls } from '../urls';

type Data = Extract<PageData, { page: 'commits' }>;

/** History of a ref, or of a path on it, a page at a time (`?page=N`). */
export function CommitsPage({ viewer, repo, data }: { viewer: Viewer | null; repo: RepoView; data: Data }) {
  const log = data.log;
  const base = urls.commits(repo, log.ref.name, log.path);
  // Past the numbered pages, older history continues from the last commit shown.
  const last = log.commits[log.commits.length - 1];
  const olderHref =
    log.lastNumberedPage && last ? urls.commits(repo, last.oid, log.path) : `${base}?page=${log.page + 1}`;
  return (
    <RepoLayout viewer={viewer} repo={repo} tab="commits">
      <div className="rp-toolbar">
        <RefSwitcher repo={repo} refs={data.refs} current={log.ref.name} target="commits" path={log.path} />
        {log.path !== '' ? (
          <>
            <span className="rp-muted">History of</span>{' '}
            <Breadcrumbs repo={repo} refName={log.ref.name} path={log.path} />
          </>
        ) : null}
      </div>
      {log.commits.length === 0 ? (
        <p className="rp-note">No commits.</p>
      ) : (
        <CommitList repo={repo} commits={log.commits} statuses={data.statuses} />
      )}
      {log.capped ? <p className="rp-note">History search stopped early: older changes may exist.</p> : null}
      <nav className="rp-pager" aria-label="Pages">
        {log.page > 1 ? (
          <a className="rp-button" href={`${base}?page=${log.page - 1}`}>
            Newer
          </a>
        ) : (
          <span />
        )}
        {log.hasMore ? (
          <a className="rp-button" href={olderHref} data-testid="older">
            Older
          </a>
        ) : null}
      </nav>
    </RepoLayout>
  );
}
