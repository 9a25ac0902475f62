// Setup of every end-to-end test file: each fetch asks for a connection of its own
// (`Connection: close`). Tests run git synchronously between requests, which blocks this process
// for seconds; a kept-alive connection the server closed meanwhile is only noticed when the next
// request is written on it, which then fails with "other side closed" without the server ever
// seeing it. A fresh connection per request cannot be stale, and a real failure still shows.
const plainFetch = globalThis.fetch;

globalThis.fetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
  const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
  if (!headers.has('connection')) headers.set('connection', 'close');
  return plainFetch(input, { ...init, headers });
};
