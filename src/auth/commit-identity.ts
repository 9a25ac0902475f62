// Who a commit the server makes for a user (a merge, a web edit) names as its author: the
// user's display name, else their login, and, unless they chose to show their email, a no-reply
// address as GitHub's (`{id}+{login}@users.noreply.{host}`), so that public history does not
// publish accounts' emails. Every part is cleaned as C git cleans identities.
import type { UserRecord } from '../db/users';
import { identPart } from '../git/object/ident';
import { readAuthConfig } from './config';

export interface CommitIdentity {
  name: string;
  email: string;
}

/** The host of no-reply addresses: BETTER_AUTH_URL's when set, else the request's (no port). */
export function noReplyHost(env: object, requestUrl: string): string {
  return new URL(readAuthConfig(env).baseURL ?? requestUrl).hostname;
}

export function noReplyEmail(user: Pick<UserRecord, 'id' | 'login'>, host: string): string {
  return `${user.id}+${user.login}@users.noreply.${host}`;
}

export function commitIdentity(
  user: Pick<UserRecord, 'id' | 'login' | 'fullName' | 'email' | 'keepEmailPrivate'>,
  host: string,
): CommitIdentity {
  const shown = user.keepEmailPrivate ? '' : identPart(user.email);
  return {
    // git refuses an empty name; the login is never empty and needs no cleaning.
    name: identPart(user.fullName) || user.login,
    email: shown || noReplyEmail(user, host),
  };
}
