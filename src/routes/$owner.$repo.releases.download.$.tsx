import { createFileRoute } from '@tanstack/react-router';

// `/releases/download/{tag}/{name}`: a release asset's bytes from R2, as an attachment.
export const Route = createFileRoute('/$owner/$repo/releases/download/$')({
  server: {
    handlers: {
      GET: async ({ request, params }) => {
        const { pageAssetDownload } = await import('../ui/releases/server/download');
        return pageAssetDownload(request, params.owner, params.repo, params._splat ?? '');
      },
    },
  },
});
