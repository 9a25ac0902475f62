// Long-lived connections (live sockets) remember which credential opened them and ask again later
// whether it still holds: a deleted or expired token, an ended session or a deleted account no
// longer stands for anyone.

import { activeSessionUser } from '../db/sessions';
import { findTokenById } from '../db/tokens';
import { findUserById } from '../db/users';
import type { Actor } from './authenticate';

/** What a connection keeps of its actor: small and JSON-able (a socket attachment). */
export interface CredentialRef {
  via: Actor['via'] | 'anonymous';
  userId: number | null;
  credentialId: string | null;
}

export function credentialRef(actor: Actor | null): CredentialRef {
  if (!actor) return { via: 'anonymous', userId: null, credentialId: null };
  return { via: actor.via, userId: actor.userId, credentialId: actor.credentialId ?? null };
}

/** The actor the credential stands for now (null: anonymous), or 'revoked' once it no longer
 * authenticates anyone. Token scopes are read again, as a request with the token would. */
export async function actorNow(
  env: Env,
  ref: CredentialRef,
  now = new Date(),
): Promise<Actor | null | 'revoked'> {
  if (ref.via === 'anonymous' || ref.userId === null) return null;
  let scopes = ['all'];
  if (ref.via === 'token') {
    const token = ref.credentialId ? await findTokenById(env.DB, Number(ref.credentialId)) : null;
    if (!token || token.userId !== ref.userId) return 'revoked';
    if (token.expiresAt && Date.parse(token.expiresAt) <= now.getTime()) return 'revoked';
    scopes = token.scopes;
  } else if (ref.via === 'session') {
    const userId = ref.credentialId ? await activeSessionUser(env.DB, ref.credentialId, now) : null;
    if (userId !== ref.userId) return 'revoked';
  }
  const user = await findUserById(env.DB, ref.userId);
  if (!user) return 'revoked';
  return {
    userId: user.id,
    username: user.login,
    scopes,
    via: ref.via,
    credentialId: ref.credentialId ?? undefined,
  };
}
