// Better Auth hooks that keep identities honest: the login is the username (Better Auth's
// `displayUsername` may only change its case; a free-text display name is `name`), and a
// username given up by a rename stays with its account (nobody else may take it).
import { APIError } from 'better-auth/api';

/** Gitflare's account tables, as the hooks need them (the D1 queries in production). */
export interface IdentityDeps {
  /** Whether a (lower-cased) username is taken, now or before a rename; used to name OAuth accounts. */
  usernameTaken(lowerName: string): Promise<boolean>;
  /** The account that gave up this (lower-cased) username in a rename, if one did. */
  retiredNameHolder(lowerName: string): Promise<number | null>;
  /** Keeps `oldLower` for the account that renamed itself to `newLower` (which is its own again). */
  recordRename(userId: number, oldLower: string, newLower: string): Promise<void>;
}

interface HookContext {
  path: string;
  body: unknown;
}

function displayUsernameRefusal(): APIError {
  return new APIError('BAD_REQUEST', {
    message: 'displayUsername may only change the case of the username; put a display name in `name`',
    code: 'INVALID_DISPLAY_USERNAME',
  });
}

function nameTaken(): APIError {
  return new APIError('BAD_REQUEST', {
    message: 'Username is already taken. Please try another.',
    code: 'USERNAME_IS_ALREADY_TAKEN',
  });
}

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Checks a sign-up's or update's `username` and `displayUsername` before Better Auth acts. */
export async function checkIdentityFields(
  ctx: HookContext,
  session: () => Promise<{ id: number; username: string } | null>,
  deps: IdentityDeps,
): Promise<void> {
  const body = ctx.body as Record<string, unknown> | undefined;
  if (!body) return;
  const username = typeof body.username === 'string' ? body.username : undefined;
  const display = body.displayUsername;
  if (ctx.path === '/sign-up/email') {
    if (username === undefined) return;
    if (display !== undefined && (typeof display !== 'string' || !sameName(display, username)))
      throw displayUsernameRefusal();
    if ((await deps.retiredNameHolder(username.toLowerCase())) !== null) throw nameTaken();
    return;
  }
  if (ctx.path !== '/update-user') return;
  if (username === undefined && display === undefined) return;
  const me = await session();
  if (!me) return; // Better Auth answers 401 itself
  if (display !== undefined) {
    if (typeof display !== 'string' || !sameName(display, username ?? me.username))
      throw displayUsernameRefusal();
  } else if (username !== undefined) {
    // A rename: the case-kept login follows the new name (Better Auth would keep the old one).
    body.displayUsername = username;
  }
  if (username !== undefined && !sameName(username, me.username)) {
    const holder = await deps.retiredNameHolder(username.toLowerCase());
    if (holder !== null && holder !== me.id) throw nameTaken();
  }
}

/** After an account's row changed: a changed username retires the old one for that account. */
export async function afterUserUpdate(
  user: Record<string, unknown> | null,
  context: { context?: { session?: { user?: Record<string, unknown> } | null } } | null,
  deps: IdentityDeps,
): Promise<void> {
  const before = context?.context?.session?.user;
  if (!user || !before) return;
  const oldName = before.username;
  const newName = user.username;
  if (typeof oldName !== 'string' || typeof newName !== 'string' || sameName(oldName, newName)) return;
  if (Number(before.id) !== Number(user.id)) return;
  await deps.recordRename(Number(user.id), oldName.toLowerCase(), newName.toLowerCase());
}
