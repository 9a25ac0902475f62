/**
 * A page whose repository was too busy to make room for its read in time (admission control,
 * storage/admission.ts) answers 503 with Retry-After, as the API and downloads do. The router
 * knows only 200, 404 and 500 for a page it renders, so the page's server function marks the
 * request busy and the pages' entry (src/server.ts) sets the status on the answer it returns.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { busyHeaders } from '../services/browse';

interface PageAnswer {
  busy: boolean;
}

const answers = new AsyncLocalStorage<PageAnswer>();

/** Runs the pages' handler for one request; a request marked busy meanwhile answers 503. */
export async function answerPage(handle: () => Response | Promise<Response>): Promise<Response> {
  const answer: PageAnswer = { busy: false };
  const response = await answers.run(answer, handle);
  if (!answer.busy) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(busyHeaders(503))) headers.set(name, value);
  return new Response(response.body, { status: 503, headers });
}

/** The page being answered found its repository busy. */
export function markPageBusy(): void {
  const answer = answers.getStore();
  if (answer) answer.busy = true;
}
