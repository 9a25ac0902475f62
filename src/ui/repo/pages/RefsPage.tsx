import { SyncFork } from '../../forks/ForkButton';
import type { Viewer } from '../../server-fns';
import { RepoLayout } from '../components/RepoLayout';
import { StatusMark } from '../components/StatusMark';
import { formatDate, shortOid } from '../format';
import type { PageData, RepoView } from '../server/view-types';
import { urls } from '../urls';

type Data = Extract<PageData, { page: 'branches' | 'tags' }>;

/** The branch list or the tag list, newest first, with downloads for tags. */
export function RefsPage({ viewer, repo, data }: { viewer: Viewer | null; repo: RepoView; data: Data }) {
  const isTags = data.page === 'tags';
  const list = isTags ? data.refs.tags : data.refs.branches;
  return (
    <RepoLayout viewer={viewer} repo={repo} tab={isTags ? 'tags' : 'branches'}>
      <h2>{isTags ? 'Tags' : 'Branches'}</h2>
      {list.length === 0 ? <p className="rp-note">None yet.</p> : null}
      <ul className="rp-box rp-reflist" data-testid={isTags ? 'tag-list' : 'branch-list'}>
        {list.map((r) => (
          <li key={r.name}>
            <div>
              <a href={urls.tree(repo, r.name)} className="rp-refname">
                {r.name}
              </a>
              {data.page === 'branches' ? <StatusMark state={data.statuses[r.commit.oid] ?? null} /> : null}
              {!isTags && r.name === data.refs.defaultBranch ? (
                <span className="rp-badge">default</span>
              ) : null}
              <div className="rp-muted">
                <a href={urls.commit(repo, r.commit.oid)}>{shortOid(r.commit.oid)}</a> {r.commit.summary} ·{' '}
                {formatDate(r.commit.committer.time)}
              </div>
            </div>
            <div className="rp-commit-links">
              {!isTags && r.name !== data.refs.defaultBranch ? (
                <a href={urls.compare(repo, data.refs.defaultBranch, r.name)}>Compare</a>
              ) : null}
              {!isTags && repo.parent ? (
                <a
                  href={urls.compareHead(repo.parent, `${repo.owner}:${r.name}`)}
                  data-testid="fork-pull-link"
                >
                  Compare &amp; pull request
                </a>
              ) : null}
              {!isTags && repo.parent && repo.canWrite ? <SyncFork repo={repo} branch={r.name} /> : null}
              <a href={urls.archive(repo, r.name, 'zip')}>zip</a>
              <a href={urls.archive(repo, r.name, 'tar.gz')}>tar.gz</a>
            </div>
          </li>
        ))}
      </ul>
    </RepoLayout>
  );
}
