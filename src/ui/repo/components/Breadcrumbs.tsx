import type { RepoView } from '../server/view-types';
import { urls } from '../urls';

/** repo / dir / sub / file, each part linking to its directory. */
export function Breadcrumbs({ repo, refName, path }: { repo: RepoView; refName: string; path: string }) {
  const parts = path === '' ? [] : path.split('/');
  return (
    <nav className="rp-crumbs" aria-label="Path">
      <a href={urls.tree(repo, refName)}>{repo.name}</a>
      {parts.map((p, i) => {
        const sub = parts.slice(0, i + 1).join('/');
        return (
          <span key={sub}>
            <span className="rp-sep">/</span>
            {i === parts.length - 1 ? <strong>{p}</strong> : <a href={urls.tree(repo, refName, sub)}>{p}</a>}
          </span>
        );
      })}
    </nav>
  );
}
