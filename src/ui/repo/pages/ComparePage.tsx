import { OpenPullForm } from '../../pulls/components/OpenPullForm';
import type { Viewer } from '../../server-fns';
import { CommitList } from '../components/CommitList';
import { ComparePickers } from '../components/ComparePickers';
import { DiffView } from '../components/DiffView';
import { RepoLayout } from '../components/RepoLayout';
import { shortOid } from '../format';
import type { CompareData, RepoView } from '../server/view-types';

function mergeText(m: NonNullable<CompareData['mergeable']>, base: string, head: string): string {
  switch (m.status) {
    case 'mergeable':
      return 'Able to merge. These branches can be automatically merged.';
    case 'conflict':
      return "Can't automatically merge. You can still open the pull request; these files conflict:";
    case 'up_to_date':
      return `'${base}' already contains everything on '${head}'.`;
    case 'unrelated':
      return 'These branches have entirely different histories.';
    default:
      return 'Whether these branches merge cleanly is not checked here.';
  }
}

/** `base...head`: the commits of head since the merge base and the combined diff; the head may be
 * a fork's branch (`forkowner:branch`), from which a pull request into this repository opens. */
export function ComparePage({
  viewer,
  repo,
  data,
}: {
  viewer: Viewer | null;
  repo: RepoView;
  data: CompareData;
}) {
  const c = data.compare;
  const head = data.head;
  // Commits and files link to the head's repository, where they live.
  const headRepo = { ...repo, owner: head.repo.owner, name: head.repo.name };
  const canOpen =
    viewer !== null &&
    c.base.kind === 'branch' &&
    (head.cross || c.head.kind === 'branch') &&
    c.commits.length > 0;
  return (
    <RepoLayout viewer={viewer} repo={repo} tab="commits">
      <h2 data-testid="compare-title">
        Comparing <code>{data.base}</code>...<code>{head.label}</code>
      </h2>
      <ComparePickers repo={repo} data={data} />
      <p className="rp-muted">
        {c.mergeBase ? <>Merge base {shortOid(c.mergeBase)}. </> : 'These histories are unrelated. '}
        {c.commits.length} commit{c.commits.length === 1 ? '' : 's'}
        {c.commitsTruncated ? ' (only the newest are listed)' : ''}.
      </p>
      {data.mergeable ? (
        <div className="rp-note" data-testid="compare-mergeable" data-status={data.mergeable.status}>
          {mergeText(data.mergeable, data.base, head.label)}
          {data.mergeable.conflicts.length > 0 ? (
            <ul>
              {data.mergeable.conflicts.map((f) => (
                <li key={f}>
                  <code>{f}</code>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {c.commits.length === 0 && c.files.length === 0 ? (
        <p className="rp-note">
          There is nothing to compare: {head.label} has no changes that {data.base} lacks.
        </p>
      ) : null}
      {canOpen ? (
        <OpenPullForm
          repo={repo}
          base={data.base}
          head={head.label}
          defaultTitle={c.commits[c.commits.length - 1].summary}
        />
      ) : null}
      {c.commits.length > 0 ? <CommitList repo={headRepo} commits={c.commits} /> : null}
      <DiffView repo={headRepo} files={c.files} newRef={c.head.commit} truncated={c.filesTruncated} />
    </RepoLayout>
  );
}
