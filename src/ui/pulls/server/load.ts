/** The server function the pull-request pages load their data through. */
import { createServerFn } from '@tanstack/react-start';
import type { PullPageInput, PullPageResponse } from '../types';

export const loadPullPage = createServerFn({ method: 'GET' })
  .validator((input: PullPageInput) => input)
  .handler(async ({ data }): Promise<PullPageResponse> => {
    // Loaded lazily so database and markdown code stay out of the browser bundle.
    const { buildPullPage } = await import('./build-page');
    return buildPullPage(data);
  });
