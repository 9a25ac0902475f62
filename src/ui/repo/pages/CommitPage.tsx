import type { Viewer } from '../../server-fns';
import { DiffView } from '../components/DiffView';
import { RepoLayout } from '../components/RepoLayout';
import { formatDateTime, shortOid } from '../format';
import type { PageData, RepoView } from '../server/view-types';
import { urls } from '../urls';

type Data = Extract<PageData, { page: 'commit' }>;

/** One commit: message, author, parents and its diff against the first parent. */
export function CommitPage({ viewer, repo, data }: { viewer: Viewer | null; repo: RepoView; data: Data }) {
  const { commit, files, filesTruncated } = data.commit;
  const body = commit.message.slice(commit.summary.length).trim();
  return (
    <RepoLayout viewer={viewer} repo={repo} tab="commits">
      <section className="rp-box rp-commit-head">
        <h2 className="rp-commit-title" data-testid="commit-title">
          {commit.summary}
        </h2>
        {body ? <pre className="rp-commit-body">{body}</pre> : null}
        <div className="rp-muted">
          <strong>{commit.author.name}</strong> authored {formatDateTime(commit.author.time)}
          {commit.committer.name !== commit.author.name ? ` · ${commit.committer.name} committed` : ''}
        </div>
        <div className="rp-commit-meta">
          <span>
            commit <code>{commit.oid}</code>
          </span>
          <span>
            {commit.parents.length === 0
              ? 'no parents'
              : commit.parents.length === 1
                ? 'parent '
                : 'parents '}
            {commit.parents.map((p, i) => (
              <span key={p}>
                {i > 0 ? ' + ' : ''}
                <a href={urls.commit(repo, p)}>
                  <code>{shortOid(p)}</code>
                </a>
              </span>
            ))}
          </span>
          <a href={urls.tree(repo, commit.oid)}>Browse files</a>
        </div>
      </section>
      <DiffView repo={repo} files={files} newRef={commit.oid} truncated={filesTruncated} />
    </RepoLayout>
  );
}
