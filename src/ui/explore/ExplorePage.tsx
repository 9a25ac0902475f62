/** /explore: a plain GET search form and a paginated repository list (works without JavaScript). */
import { Page, RepoList } from '../Layout';
import type { ExploreResult } from './load';

function pageHref(q: string, page: number): string {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  if (page > 1) params.set('page', String(page));
  const s = params.toString();
  return s ? `/explore?${s}` : '/explore';
}

export function ExplorePage({ data }: { data: ExploreResult }) {
  return (
    <Page viewer={data.viewer}>
      <h1>Explore repositories</h1>
      <form method="get" action="/explore" className="gf-actions" data-testid="explore-search">
        <input
          type="search"
          name="q"
          defaultValue={data.q}
          placeholder="Find a repository…"
          aria-label="Search"
        />
        <button type="submit">Search</button>
      </form>
      <div data-testid="explore-list">
        <RepoList
          repos={data.repos}
          empty={data.q ? `No repositories match “${data.q}”.` : 'No repositories yet.'}
        />
      </div>
      {data.orgs.length > 0 ? (
        <section data-testid="explore-orgs">
          <h2>Organizations</h2>
          <ul>
            {data.orgs.map((o) => (
              <li key={o.login}>
                <a href={`/${encodeURIComponent(o.login)}`}>{o.login}</a>
                {o.description ? ` · ${o.description}` : ''}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {data.page > 1 || data.hasNext ? (
        <nav className="gf-actions" aria-label="Pages">
          {data.page > 1 ? <a href={pageHref(data.q, data.page - 1)}>← Newer</a> : null}
          <span className="gf-note">Page {data.page}</span>
          {data.hasNext ? <a href={pageHref(data.q, data.page + 1)}>Older →</a> : null}
        </nav>
      ) : null}
    </Page>
  );
}
