// Better Auth's password and second-factor checks under the same failure limits as HTTP Basic
// (src/auth/password-limit.ts): one count per account and per address whichever door is used.
// Better Auth's own rate limiter stays off: it counts every request per address and path (not
// failures), so a whole office behind one address could not sign up or in at its defaults.
import { accountKey, limitPasswordCheck } from '../auth/password-limit';
import { findUserByName, findUserIdByEmail } from '../db/users';

/** The limited endpoints, and the body field naming the account (null: per address only). */
const LIMITED: Record<string, 'email' | 'username' | null> = {
  '/api/auth/sign-in/email': 'email',
  '/api/auth/sign-in/username': 'username',
  '/api/auth/two-factor/verify-totp': null,
  '/api/auth/two-factor/verify-otp': null,
  '/api/auth/two-factor/verify-backup-code': null,
};

async function accountOf(env: Env, request: Request, field: 'email' | 'username'): Promise<string | null> {
  let name: unknown;
  try {
    name = ((await request.clone().json()) as Record<string, unknown> | null)?.[field];
  } catch {
    return null; // not JSON: Better Auth refuses it without checking a password
  }
  if (typeof name !== 'string' || name.trim() === '') return null;
  const id =
    field === 'email'
      ? await findUserIdByEmail(env.DB, name)
      : ((await findUserByName(env.DB, name))?.id ?? null);
  return accountKey(id, name);
}

/** Runs Better Auth's handler; password and code checks count a 401 as a failed attempt and are
 * refused (TooManyAttemptsError) past the limits. */
export async function limitSignIn(
  env: Env,
  request: Request,
  handle: (request: Request) => Promise<Response>,
): Promise<Response> {
  const path = new URL(request.url).pathname;
  if (request.method !== 'POST' || !(path in LIMITED)) return handle(request);
  const field = LIMITED[path];
  const account = field ? await accountOf(env, request, field) : null;
  let response: Response | undefined;
  await limitPasswordCheck(env, request, account, async () => {
    response = await handle(request);
    return response.status !== 401;
  });
  return response as Response;
}
