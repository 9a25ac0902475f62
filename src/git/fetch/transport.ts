/**
 * The client side of git's Smart HTTP, as the engine sees it: a transport that sends a request to
 * a path of the remote repository and answers with a response's status, headers and body. The
 * server's platform supplies it (checked outgoing requests, credentials); tests use C git's
 * `git http-backend`.
 */
import { GitError } from '../errors';

export interface GitHttpResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  readonly body: ReadableStream<Uint8Array> | null;
}

export interface GitHttpRequest {
  /** null: a GET; a stream: a body sent as it is produced (a pack pushed out). */
  readonly body: Uint8Array | ReadableStream<Uint8Array> | null;
  readonly headers: Readonly<Record<string, string>>;
}

/** `path` is relative to the repository's URL: `info/refs?service=git-upload-pack`, `git-upload-pack`, `git-receive-pack`. */
export type GitTransport = (path: string, request: GitHttpRequest) => Promise<GitHttpResponse>;

/** A fetch that cannot go on; `message` is fit to show the user (never carries credentials). */
export class FetchError extends GitError {
  constructor(message: string) {
    super('FETCH_FAILED', message);
    this.name = 'FetchError';
  }
}

/**
 * The body of a response the remote answered as expected; a FetchError naming what went wrong
 * otherwise (`remote` names the other server in the message: the source of a fetch by default).
 */
export async function expectGitResponse(
  res: GitHttpResponse,
  contentType: string,
  remote = 'the source',
): Promise<ReadableStream<Uint8Array>> {
  if (res.status === 200 && res.body && res.headers.get('content-type')?.startsWith(contentType)) {
    return res.body;
  }
  await res.body?.cancel();
  if (res.status === 401 || res.status === 403) {
    throw new FetchError(`authentication failed (${remote} answered ${res.status})`);
  }
  if (res.status === 404) throw new FetchError(`repository not found at ${remote} (404)`);
  if (res.status !== 200) throw new FetchError(`${remote} answered ${res.status}`);
  throw new FetchError(`${remote} is not a git repository served over smart HTTP`);
}

/** The bytes of a response body as an async iterable. */
export async function* bodyChunks(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    // Stopping early (a refused pack) releases the connection.
    await reader.cancel().catch(() => undefined);
  }
}
