import type { CompareData, CompareRepo, RepoView } from '../server/view-types';
import { urls } from '../urls';

const key = (r: CompareRepo) => `${r.owner}/${r.name}`;

/** The URL of a comparison in `base`'s repository; the head names its owner when it is another's. */
function compareUrl(base: CompareRepo, baseBranch: string, head: CompareRepo, headBranch: string): string {
  const spec = key(head) === key(base) ? headBranch : `${head.owner}:${headBranch}`;
  return urls.compare(base, baseBranch, spec);
}

/**
 * GitHub's four pickers: base repository and branch, head repository and branch. A change loads
 * the comparison it names; another head repository starts from the branch of the same name.
 */
export function ComparePickers({ repo, data }: { repo: RepoView; data: CompareData }) {
  const here: CompareRepo = { owner: repo.owner, name: repo.name };
  const { pickers, base, head } = data;
  const go = (to: string) => window.location.assign(to);
  const select = (
    label: string,
    testId: string,
    value: string,
    options: readonly string[],
    to: (v: string) => string,
  ) => (
    <label className="rp-muted">
      {label}{' '}
      <select data-testid={testId} value={value} onChange={(e) => go(to(e.target.value))}>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>{' '}
    </label>
  );
  const byKey = (list: readonly CompareRepo[], k: string) => list.find((r) => key(r) === k) ?? here;
  return (
    <div className="rp-compare-pickers" data-testid="compare-pickers">
      {select('base repository:', 'base-repo', key(here), pickers.baseRepos.map(key), (k) =>
        compareUrl(byKey(pickers.baseRepos, k), base, head.repo, head.branch),
      )}
      {select('base:', 'base-branch', base, pickers.baseBranches, (b) =>
        compareUrl(here, b, head.repo, head.branch),
      )}
      {' ← '}
      {select('head repository:', 'head-repo', key(head.repo), pickers.headRepos.map(key), (k) =>
        compareUrl(here, base, byKey(pickers.headRepos, k), head.branch),
      )}
      {select('compare:', 'head-branch', head.branch, pickers.headBranches, (b) =>
        compareUrl(here, base, head.repo, b),
      )}
    </div>
  );
}
