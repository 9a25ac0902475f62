// Better Auth's configuration, built from plain values so that it can be inspected outside the
// Worker (the schema test compares its tables with migrations/).
import type { BetterAuthOptions } from 'better-auth';
import { APIError, createAuthMiddleware, getSessionFromCtx } from 'better-auth/api';
import { genericOAuth, twoFactor, username } from 'better-auth/plugins';
import type { AuthConfig } from './config';
import { afterUserUpdate, checkIdentityFields, type IdentityDeps } from './identity-hooks';
import { isValidUsername, USERNAME_MAX, usernameCandidate } from './username';

export type AuthDeps = IdentityDeps & {
  /** Why the account may not be deleted now (null: it may); account deletion is off without it. */
  accountDeletionRefusal?(userId: number): Promise<string | null>;
};

/** The signed-in account of an auth request, as the identity checks need it. */
async function sessionUser(ctx: Parameters<typeof getSessionFromCtx>[0]) {
  const s = await getSessionFromCtx(ctx);
  const name = (s?.user as { username?: unknown } | undefined)?.username;
  return s && typeof name === 'string' ? { id: Number(s.user.id), username: name } : null;
}

export function buildAuthOptions(
  config: AuthConfig,
  database: BetterAuthOptions['database'],
  baseURL: string,
  deps: AuthDeps,
) {
  return {
    appName: 'Gitflare',
    secret: config.secret,
    baseURL,
    basePath: '/api/auth',
    trustedOrigins: [baseURL],
    database,
    emailAndPassword: { enabled: true, minPasswordLength: 8, maxPasswordLength: 256, autoSignIn: true },
    socialProviders: config.github
      ? { github: { clientId: config.github.clientId, clientSecret: config.github.clientSecret } }
      : {},
    account: { accountLinking: { enabled: false } },
    // A per-request instance keeps no useful in-memory counters; see the report on rate limits.
    rateLimit: { enabled: false },
    advanced: { database: { generateId: 'serial' } },
    plugins: [
      username({
        minUsernameLength: 1,
        maxUsernameLength: USERNAME_MAX,
        usernameValidator: isValidUsername,
      }),
      twoFactor({ issuer: 'Gitflare' }),
      ...(config.oidc
        ? [
            genericOAuth({
              config: [
                {
                  providerId: config.oidc.providerId,
                  name: config.oidc.name,
                  clientId: config.oidc.clientId,
                  clientSecret: config.oidc.clientSecret,
                  discoveryUrl: config.oidc.discoveryUrl,
                  scopes: ['openid', 'email', 'profile'],
                  pkce: true,
                },
              ],
            }),
          ]
        : []),
    ],
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path === '/sign-up/email') {
          const body = ctx.body as Record<string, unknown> | undefined;
          if (typeof body?.username !== 'string' || body.username === '') {
            throw new APIError('UNPROCESSABLE_ENTITY', {
              message: 'username is required',
              code: 'USERNAME_REQUIRED',
            });
          }
        }
        await checkIdentityFields(ctx, () => sessionUser(ctx), deps);
      }),
    },
    user: {
      // `POST /api/auth/delete-user` (password, or a session younger than a day), refused while
      // the account would leave something without its owner (see src/auth/account-deletion.ts).
      deleteUser: {
        enabled: deps.accountDeletionRefusal !== undefined,
        async beforeDelete(user: { id: string | number }) {
          const refusal = await deps.accountDeletionRefusal?.(Number(user.id));
          if (refusal) throw new APIError('CONFLICT', { message: refusal, code: 'ACCOUNT_STILL_OWNS' });
        },
      },
    },
    databaseHooks: {
      user: {
        create: {
          // Accounts made by OAuth sign-in get a free username derived from the profile.
          async before(user: Record<string, unknown>) {
            if (typeof user.username === 'string' && user.username !== '') return { data: user };
            const hint =
              (typeof user.name === 'string' && user.name) ||
              (typeof user.email === 'string' && user.email) ||
              'user';
            const base = usernameCandidate(hint);
            let name = base;
            for (let i = 2; await deps.usernameTaken(name.toLowerCase()); i++) {
              name = `${base.slice(0, USERNAME_MAX - String(i).length - 1)}-${i}`;
            }
            return { data: { ...user, username: name.toLowerCase(), displayUsername: name } };
          },
        },
        update: {
          after: (user: Record<string, unknown>, context: unknown) =>
            afterUserUpdate(user, context as Parameters<typeof afterUserUpdate>[1], deps),
        },
      },
    },
  } satisfies BetterAuthOptions;
}
