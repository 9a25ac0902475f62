/** The server function the issue pages load their data through. */
import { createServerFn } from '@tanstack/react-start';
import type { IssuePageInput, IssuePageResponse } from '../types';

export const loadIssuePage = createServerFn({ method: 'GET' })
  .validator((input: IssuePageInput) => input)
  .handler(async ({ data }): Promise<IssuePageResponse> => {
    // Loaded lazily so the markdown libraries and database code stay out of the browser bundle.
    const { buildIssuePage } = await import('./build-page');
    return buildIssuePage(data);
  });
