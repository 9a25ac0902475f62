/** The server function the release pages load their data through. */
import { createServerFn } from '@tanstack/react-start';
import type { ReleasePageInput, ReleasePageResponse } from '../types';

export const loadReleasePage = createServerFn({ method: 'GET' })
  .validator((input: ReleasePageInput) => input)
  .handler(async ({ data }): Promise<ReleasePageResponse> => {
    // Loaded lazily so the markdown libraries and database code stay out of the browser bundle.
    const { buildReleasePage } = await import('./build-page');
    return buildReleasePage(data);
  });
