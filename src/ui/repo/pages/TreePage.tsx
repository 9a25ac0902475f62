import type { Viewer } from '../../server-fns';
import { Breadcrumbs } from '../components/Breadcrumbs';
import { CloneBox } from '../components/CloneBox';
import { FileTable } from '../components/FileTable';
import { RefSwitcher } from '../components/RefSwitcher';
import { RepoLayout } from '../components/RepoLayout';
import type { PageData, RepoView } from '../server/view-types';
import { urls } from '../urls';

type Data = Extract<PageData, { page: 'home' | 'tree' }>;

function EmptyRepo({ repo }: { repo: RepoView }) {
  return (
    <section className="rp-box rp-empty" data-testid="empty-repo">
      <h2>This repository is empty</h2>
      <p>Push an existing repository from the command line:</p>
      <pre>{`git remote add origin ${repo.cloneUrl}\ngit push -u origin ${repo.defaultBranch}`}</pre>
    </section>
  );
}

/** The repository home and `/tree/{ref}/{path}`: file list, README, clone URL. */
export function TreePage({ viewer, repo, data }: { viewer: Viewer | null; repo: RepoView; data: Data }) {
  const tree = data.tree;
  return (
    <RepoLayout viewer={viewer} repo={repo} tab="code">
      {repo.description ? <p className="rp-description">{repo.description}</p> : null}
      <div className="rp-toolbar">
        {tree ? (
          <RefSwitcher repo={repo} refs={data.refs} current={tree.ref.name} target="tree" path={tree.path} />
        ) : null}
        {tree && tree.path !== '' ? (
          <Breadcrumbs repo={repo} refName={tree.ref.name} path={tree.path} />
        ) : null}
        <span className="rp-spacer" />
        {tree && tree.path === '' ? (
          <span className="rp-downloads">
            <a className="rp-button" href={urls.archive(repo, tree.ref.name, 'zip')}>
              ZIP
            </a>
            <a className="rp-button" href={urls.archive(repo, tree.ref.name, 'tar.gz')}>
              tar.gz
            </a>
          </span>
        ) : null}
        <CloneBox url={repo.cloneUrl} />
      </div>
      {repo.source && repo.source.status !== 'done' ? (
        // An unfinished migration is never shown as a repository (nor as an empty one to push to).
        <section className="rp-box rp-empty" data-testid="migration-unfinished">
          <h2>{repo.source.status === 'failed' ? 'The migration failed' : 'Migration in progress'}</h2>
          <p>The repository's contents appear here once its migration has finished.</p>
        </section>
      ) : tree ? (
        <FileTable repo={repo} tree={tree} />
      ) : (
        <EmptyRepo repo={repo} />
      )}
      {data.readmeHtml && tree?.readme ? (
        <section className="rp-box rp-readme" data-testid="readme">
          <div className="rp-box-head">{tree.readme.path.split('/').pop()}</div>
          {/* biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized on the server (sanitize-html allow-list) */}
          <div className="rp-markdown" dangerouslySetInnerHTML={{ __html: data.readmeHtml }} />
        </section>
      ) : null}
    </RepoLayout>
  );
}
