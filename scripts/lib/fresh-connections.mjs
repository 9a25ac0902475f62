// Each fetch of this process asks for a connection of its own (`Connection: close`). The
// benchmark and the tests run git between requests for seconds or minutes; a kept-alive
// connection the server closed meanwhile is only noticed when the next request is written on it,
// which then fails with "other side closed" without the server ever seeing it (what once passed
// for a crash of the server in the benchmark's repair row). A fresh connection per request
// cannot be stale, and a real failure still shows.
let installed = false;

export function freshConnectionsForFetch() {
  if (installed) return;
  installed = true;
  const plainFetch = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    if (!headers.has('connection')) headers.set('connection', 'close');
    return plainFetch(input, { ...init, headers });
  };
}
