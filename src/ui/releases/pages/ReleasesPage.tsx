import { RepoLayout } from '../../repo/components/RepoLayout';
import type { RepoView } from '../../repo/server/view-types';
import type { Viewer } from '../../server-fns';
import { ReleaseCard } from '../components/ReleaseCard';
import type { ReleasePageData } from '../types';
import { releaseUrls } from '../urls';

type ListData = Extract<ReleasePageData, { page: 'list' }>;
type OneData = Extract<ReleasePageData, { page: 'release' }>;

/** `/releases`: newest first, ten a page. */
export function ReleasesPage({
  viewer,
  repo,
  canWrite,
  data,
}: {
  viewer: Viewer | null;
  repo: RepoView;
  canWrite: boolean;
  data: ListData;
}) {
  return (
    <RepoLayout viewer={viewer} repo={repo} tab="releases">
      <div className="rl-toolbar">
        <h2>Releases</h2>
        {canWrite ? (
          <a className="rp-button is-primary" href={releaseUrls.create(repo)} data-testid="new-release">
            Draft a new release
          </a>
        ) : null}
      </div>
      {data.releases.length === 0 ? <p className="rp-note">There are no releases yet.</p> : null}
      <div className="rl-list" data-testid="release-list">
        {data.releases.map((r) => (
          <ReleaseCard key={r.id} repo={repo} release={r} canWrite={canWrite} headingLink />
        ))}
      </div>
      <nav className="rl-toolbar" aria-label="Pages">
        {data.pageNo > 1 ? <a href={releaseUrls.list(repo, data.pageNo - 1)}>Newer</a> : <span />}
        {data.hasMore ? <a href={releaseUrls.list(repo, data.pageNo + 1)}>Older</a> : null}
      </nav>
    </RepoLayout>
  );
}

/** `/releases/tag/{tag}`: one release. */
export function ReleasePage({
  viewer,
  repo,
  canWrite,
  data,
}: {
  viewer: Viewer | null;
  repo: RepoView;
  canWrite: boolean;
  data: OneData;
}) {
  return (
    <RepoLayout viewer={viewer} repo={repo} tab="releases">
      <p>
        <a href={releaseUrls.list(repo)}>Releases</a> / {data.release.tagName}
      </p>
      <ReleaseCard repo={repo} release={data.release} canWrite={canWrite} headingLink={false} />
    </RepoLayout>
  );
}
