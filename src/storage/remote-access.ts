/**
 * How the repository's object reaches other git servers (migrations, pull and push mirrors). The
 * host policy (ALLOWED_HOST_LIST, redirects checked) and the credentials' sealing belong to the
 * layer above: the Worker's entry provides them once at start-up, and this layer only calls them.
 */
import type { GitTransport } from '../git/fetch/transport';

export interface RemoteAccess {
  /** The engine's transport to the repository at `url`, through the server's checked requests. */
  transport(env: Env, url: string, authorization: string | null): GitTransport;
  /** Stored credentials opened: the Authorization header, or null when they cannot be read. */
  openCredentials(env: Env, sealed: string): Promise<string | null>;
  /** An outgoing request the policy refused: its message is fit to show the user. */
  isRefusal(e: unknown): e is Error;
}

let provided: RemoteAccess | null = null;

/** Set by the Worker's entry before any request is served. */
export function provideRemoteAccess(access: RemoteAccess): void {
  provided = access;
}

/** The provided access; without one, nothing is sent anywhere (the fetch or push fails). */
export function remoteAccess(): RemoteAccess {
  if (!provided) throw new Error('no outgoing access was provided to the repository object');
  return provided;
}
