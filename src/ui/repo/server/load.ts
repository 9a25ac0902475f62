/** The server function every repository page loads its data through. */
import { createServerFn } from '@tanstack/react-start';
import type { ViewInput, ViewResponse } from './view-types';

export const loadRepoView = createServerFn({ method: 'GET' })
  .validator((input: ViewInput) => input)
  .handler(async ({ data }): Promise<ViewResponse> => {
    // Loaded lazily so the highlighter and markdown libraries stay out of the browser bundle.
    const { buildView } = await import('./build-view');
    return buildView(data);
  });
