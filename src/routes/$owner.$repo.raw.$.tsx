import { createFileRoute } from '@tanstack/react-router';

// Raw bytes of a file: a server route (no page), sandboxed and never sniffed.
export const Route = createFileRoute('/$owner/$repo/raw/$')({
  server: {
    handlers: {
      GET: async ({ request, params }) => {
        const { pageRawDownload } = await import('../ui/repo/server/downloads');
        return pageRawDownload(request, params.owner, params.repo, params._splat ?? '');
      },
    },
  },
});
