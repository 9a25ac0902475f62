import { createFileRoute } from '@tanstack/react-router';
import { ExplorePage } from '../ui/explore/ExplorePage';
import { loadExplore } from '../ui/explore/load';
import { pageHead } from '../ui/Layout';

interface ExploreSearch {
  q?: string;
  page?: number;
}

export const Route = createFileRoute('/explore')({
  validateSearch: (search: Record<string, unknown>): ExploreSearch => {
    const page = Number(search.page);
    return {
      q: typeof search.q === 'string' && search.q ? search.q : undefined,
      page: Number.isSafeInteger(page) && page > 1 ? page : undefined,
    };
  },
  loaderDeps: ({ search }) => ({ q: search.q ?? '', page: search.page ?? 1 }),
  loader: ({ deps }) => loadExplore({ data: deps }),
  head: () => pageHead('Explore'),
  component: ExploreRoute,
});

function ExploreRoute() {
  return <ExplorePage data={Route.useLoaderData()} />;
}
