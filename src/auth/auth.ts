// The Better Auth instance for one request. It is built per request (cheap) because its base URL
// follows the request's origin unless BETTER_AUTH_URL fixes it, and bindings come with the request.
import { betterAuth } from 'better-auth';
import { reclaimUsername, retiredNameHolder, retireUsername } from '../db/retired-usernames';
import { usernameTaken } from '../db/users';
import { accountDeletionRefusal } from './account-deletion';
import { readAuthConfig } from './config';
import { buildAuthOptions } from './options';

export function authBaseURL(env: Env, request: Request): string {
  return readAuthConfig(env).baseURL ?? new URL(request.url).origin;
}

export function getAuth(env: Env, request: Request) {
  const config = readAuthConfig(env);
  const baseURL = config.baseURL ?? new URL(request.url).origin;
  return betterAuth(
    buildAuthOptions(config, env.DB, baseURL, {
      usernameTaken: (name) => usernameTaken(env.DB, name),
      retiredNameHolder: (name) => retiredNameHolder(env.DB, name),
      accountDeletionRefusal: (userId) => accountDeletionRefusal(env.DB, userId),
      recordRename: async (userId, oldLower, newLower) => {
        await retireUsername(env.DB, userId, oldLower);
        await reclaimUsername(env.DB, userId, newLower);
      },
    }),
  );
}

export type Auth = ReturnType<typeof getAuth>;
