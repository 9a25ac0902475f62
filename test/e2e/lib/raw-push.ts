import { type ClientRequest, type IncomingMessage, request } from 'node:http';

/**
 * A `git-receive-pack` POST whose body the caller writes (chunked), for pushes sent in pieces
 * and held open. `endpoint` is the repository URL plus `/git-receive-pack`.
 */
export function receivePackRequest(
  endpoint: string,
  auth: { readonly username: string; readonly password: string },
  onResponse?: (res: IncomingMessage) => void,
): ClientRequest {
  const u = new URL(endpoint);
  return request(
    {
      host: u.hostname,
      port: u.port,
      path: u.pathname,
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-git-receive-pack-request',
        Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`,
        'Transfer-Encoding': 'chunked',
      },
    },
    onResponse,
  );
}
