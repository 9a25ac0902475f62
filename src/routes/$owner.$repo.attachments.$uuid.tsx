import { createFileRoute } from '@tanstack/react-router';

// A file attached to an issue or pull request comment, for the repository's readers.
export const Route = createFileRoute('/$owner/$repo/attachments/$uuid')({
  server: {
    handlers: {
      GET: async ({ request, params }) => {
        const { pageAttachmentDownload } = await import('../ui/releases/server/download');
        return pageAttachmentDownload(request, params.owner, params.repo, params.uuid);
      },
    },
  },
});
