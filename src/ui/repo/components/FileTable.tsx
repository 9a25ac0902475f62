import type { BrowseResult } from '../../../git/browse/request';
import { formatDate } from '../format';
import type { RepoView } from '../server/view-types';
import { urls } from '../urls';
import { EntryIcon } from './Icon';

type Tree = Extract<BrowseResult, { kind: 'tree' }>;

/** A directory listing with each entry's last commit. */
export function FileTable({ repo, tree }: { repo: RepoView; tree: Tree }) {
  const ref = tree.ref.name;
  const parent = tree.path.includes('/') ? tree.path.slice(0, tree.path.lastIndexOf('/')) : '';
  return (
    <div className="rp-box">
      <div className="rp-box-head rp-lastcommit">
        <a href={urls.commit(repo, tree.commit.oid)} className="rp-msg">
          {tree.commit.summary}
        </a>
        <span className="rp-muted">
          {tree.commit.author.name} ·{' '}
          <a href={urls.commit(repo, tree.commit.oid)}>{tree.commit.oid.slice(0, 7)}</a> ·{' '}
          {formatDate(tree.commit.committer.time)} · <a href={urls.commits(repo, ref, tree.path)}>History</a>
        </span>
      </div>
      <table className="rp-files" data-testid="file-table">
        <tbody>
          {tree.path !== '' ? (
            <tr>
              <td colSpan={3}>
                <a href={urls.tree(repo, ref, parent)}>..</a>
              </td>
            </tr>
          ) : null}
          {tree.entries.map((e) => (
            <tr key={e.name}>
              <td className="rp-file-name">
                <EntryIcon kind={e.kind} />
                {e.kind === 'submodule' ? (
                  <span>
                    {e.name} @ {e.oid.slice(0, 7)}
                  </span>
                ) : (
                  <a href={e.kind === 'dir' ? urls.tree(repo, ref, e.path) : urls.blob(repo, ref, e.path)}>
                    {e.name}
                  </a>
                )}
              </td>
              <td className="rp-file-msg">
                {e.lastCommit ? (
                  <a href={urls.commit(repo, e.lastCommit.oid)}>{e.lastCommit.summary}</a>
                ) : (
                  <span className="rp-muted">unknown</span>
                )}
              </td>
              <td className="rp-file-date rp-muted">
                {e.lastCommit ? formatDate(e.lastCommit.committer.time) : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {tree.lastCommitsCapped ? (
        <p className="rp-note">Some last commits are unknown: the history is too long to search.</p>
      ) : null}
    </div>
  );
}
