import { OpenPullForm } from '../../pulls/components/OpenPullForm';
import type { Viewer } from '../../server-fns';
import { CommitList } from '../components/CommitList';
import { DiffView } from '../components/DiffView';
import { RepoLayout } from '../components/RepoLayout';
import { shortOid } from '../format';
import type { PageData, RepoView } from '../server/view-types';

type Data = Extract<PageData, { page: 'compare' }>;

/** `base...head`: the commits of head since the merge base and the combined diff. */
export function ComparePage({ viewer, repo, data }: { viewer: Viewer | null; repo: RepoView; data: Data }) {
  const c = data.compare;
  return (
    <RepoLayout viewer={viewer} repo={repo} tab="commits">
      <h2>
        Comparing <code>{c.base.name}</code>...<code>{c.head.name}</code>
      </h2>
      <p className="rp-muted">
        {c.mergeBase ? <>Merge base {shortOid(c.mergeBase)}. </> : 'These histories are unrelated. '}
        {c.commits.length} commit{c.commits.length === 1 ? '' : 's'}
        {c.commitsTruncated ? ' (only the newest are listed)' : ''}.
      </p>
      {c.commits.length === 0 && c.files.length === 0 ? (
        <p className="rp-note">
          There is nothing to compare: {c.head.name} has no changes that {c.base.name} lacks.
        </p>
      ) : null}
      {viewer && c.base.kind === 'branch' && c.head.kind === 'branch' && c.commits.length > 0 ? (
        <OpenPullForm
          repo={repo}
          base={c.base.name}
          head={c.head.name}
          defaultTitle={c.commits[c.commits.length - 1].summary}
        />
      ) : null}
      {c.commits.length > 0 ? <CommitList repo={repo} commits={c.commits} /> : null}
      <DiffView repo={repo} files={c.files} newRef={c.head.commit} truncated={c.filesTruncated} />
    </RepoLayout>
  );
}
