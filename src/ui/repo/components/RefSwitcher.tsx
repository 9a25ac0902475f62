import type { RefNames, RepoView } from '../server/view-types';
import { urls } from '../urls';

type Target = 'tree' | 'blob' | 'commits';

function linkFor(repo: RepoView, target: Target, ref: string, path: string): string {
  if (target === 'commits') return urls.commits(repo, ref, path);
  return target === 'blob' ? urls.blob(repo, ref, path) : urls.tree(repo, ref, path);
}

/** Branch and tag picker; a native <details> so it works without JavaScript. */
export function RefSwitcher({
  repo,
  refs,
  current,
  target,
  path,
}: {
  repo: RepoView;
  refs: RefNames;
  current: string;
  target: Target;
  path: string;
}) {
  return (
    <details className="rp-refs">
      <summary className="rp-button" data-testid="ref-switcher">
        <span className="rp-muted">
          {refs.tags.includes(current) && !refs.branches.includes(current) ? 'tag' : 'branch'}:
        </span>{' '}
        {current}
      </summary>
      <div className="rp-refs-menu">
        <div className="rp-refs-group">Branches</div>
        <ul>
          {refs.branches.map((b) => (
            <li key={`b-${b}`}>
              <a href={linkFor(repo, target, b, path)} className={b === current ? 'rp-current' : undefined}>
                {b}
              </a>
            </li>
          ))}
        </ul>
        {refs.tags.length > 0 ? (
          <>
            <div className="rp-refs-group">Tags</div>
            <ul>
              {refs.tags.map((t) => (
                <li key={`t-${t}`}>
                  <a
                    href={linkFor(repo, target, t, path)}
                    className={t === current ? 'rp-current' : undefined}
                  >
                    {t}
                  </a>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </div>
    </details>
  );
}
