import { createFileRoute } from '@tanstack/react-router';

// `{ref}.zip` / `{ref}.tar.gz` of a ref, streamed as it is built.
export const Route = createFileRoute('/$owner/$repo/archive/$')({
  server: {
    handlers: {
      GET: async ({ request, params }) => {
        const { pageArchiveDownload } = await import('../ui/repo/server/downloads');
        return pageArchiveDownload(request, params.owner, params.repo, params._splat ?? '');
      },
    },
  },
});
