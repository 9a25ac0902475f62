// Personal access tokens: created with a password (HTTP Basic) or a session, shown once.
import { Hono } from 'hono';
import { z } from 'zod';
import { isScope, mayManageTokens, normalizeScopes, type Scope } from '../auth/scopes';
import { generateTokenSecret, hashTokenSecret } from '../auth/token-secret';
import { deleteToken, insertToken, listTokens } from '../db/tokens';
import { optionalString, optionalStringArray, readJsonObject, requiredString } from './body';
import { type ApiContext, type AppEnv, requireActor } from './context';
import { conflict, forbidden, invalid, notFound } from './errors';
import { tokenJson } from './format';
import { describe } from './openapi/describe';
import { AccessTokenSchema, CreateAccessTokenOptionSchema } from './schemas/user';
import { TOKEN_NAME_MAX } from './validate';

export const tokensApi = new Hono<AppEnv>();

/** Token management needs the account's own password or session, never a token. */
function requireTokenManager(c: ApiContext, username: string) {
  const actor = requireActor(c);
  if (actor.username.toLowerCase() !== username.toLowerCase())
    throw forbidden('you may only manage your own tokens');
  if (!mayManageTokens(actor.via))
    throw forbidden('tokens cannot manage tokens; authenticate with your password');
  return actor;
}

tokensApi.post(
  '/api/v1/users/:username/tokens',
  describe({
    summary: 'Create an access token',
    tags: ['user'],
    operationId: 'userCreateToken',
    body: CreateAccessTokenOptionSchema,
    responses: { 201: AccessTokenSchema },
  }),
);
tokensApi.post('/api/v1/users/:username/tokens', async (c) => {
  const actor = requireTokenManager(c, c.req.param('username'));
  const body = await readJsonObject(c);
  const name = requiredString(body, 'name', TOKEN_NAME_MAX).trim();
  if (name === '') throw invalid('name is required');
  const requested = optionalStringArray(body, 'scopes', 20, 64) ?? [];
  const unknown = requested.filter((s) => !isScope(s));
  if (unknown.length > 0) throw invalid(`unknown scope: ${unknown.join(', ')}`);
  const expiresRaw = optionalString(body, 'expires_at', 64);
  let expiresAt: string | null = null;
  if (expiresRaw !== undefined) {
    const t = Date.parse(expiresRaw);
    if (Number.isNaN(t)) throw invalid('expires_at must be a date and time (RFC 3339)');
    if (t <= Date.now()) throw invalid('expires_at must be in the future');
    expiresAt = new Date(t).toISOString();
  }
  const secret = generateTokenSecret();
  const record = await insertToken(c.env.DB, {
    userId: actor.userId,
    name,
    tokenHash: await hashTokenSecret(secret),
    tokenLastEight: secret.slice(-8),
    scopes: normalizeScopes(requested as Scope[]),
    expiresAt,
  });
  if (!record) throw conflict(`a token named '${name}' already exists`);
  return c.json(tokenJson(record, secret), 201);
});

tokensApi.get(
  '/api/v1/users/:username/tokens',
  describe({
    summary: 'List the authenticated user’s access tokens',
    tags: ['user'],
    operationId: 'userGetTokens',
    responses: { 200: z.array(AccessTokenSchema) },
  }),
);
tokensApi.get('/api/v1/users/:username/tokens', async (c) => {
  const actor = requireTokenManager(c, c.req.param('username'));
  return c.json((await listTokens(c.env.DB, actor.userId)).map((t) => tokenJson(t)));
});

tokensApi.delete(
  '/api/v1/users/:username/tokens/:token',
  describe({
    summary: 'Delete an access token',
    tags: ['user'],
    operationId: 'userDeleteAccessToken',
    params: { token: 'token name or id' },
    responses: { 204: 'deleted' },
  }),
);
tokensApi.delete('/api/v1/users/:username/tokens/:token', async (c) => {
  const actor = requireTokenManager(c, c.req.param('username'));
  const ref = c.req.param('token');
  const id = /^[0-9]{1,15}$/.test(ref) ? Number(ref) : ref;
  if (!(await deleteToken(c.env.DB, actor.userId, id))) throw notFound('token not found');
  return c.body(null, 204);
});
