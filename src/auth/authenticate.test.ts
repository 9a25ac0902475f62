import { expect, test } from 'vitest';
import { parseAuthorization } from './authenticate';
import { hasScope, normalizeScopes } from './scopes';
import { generateTokenSecret, hashTokenSecret, looksLikeToken } from './token-secret';

const b64 = (s: string) => Buffer.from(s).toString('base64');

test('Authorization header forms', () => {
  expect(parseAuthorization(null)).toEqual({ kind: 'none' });
  expect(parseAuthorization('token abc')).toEqual({ kind: 'token', token: 'abc' });
  expect(parseAuthorization('Bearer abc')).toEqual({ kind: 'token', token: 'abc' });
  expect(parseAuthorization(`Basic ${b64('al:pa:ss')}`)).toEqual({
    kind: 'basic',
    username: 'al',
    secret: 'pa:ss',
  });
  expect(parseAuthorization(`basic ${b64('al:')}`)).toEqual({ kind: 'basic', username: 'al', secret: '' });
  expect(parseAuthorization(`Basic ${b64('nocolon')}`)).toEqual({ kind: 'malformed' });
  expect(parseAuthorization('Basic %%%')).toEqual({ kind: 'malformed' });
  expect(parseAuthorization('Digest x')).toEqual({ kind: 'malformed' });
  expect(parseAuthorization('token')).toEqual({ kind: 'malformed' });
});

test('token secrets: 40 hex, hashed with SHA-256', async () => {
  const t = generateTokenSecret();
  expect(t).toMatch(/^[0-9a-f]{40}$/);
  expect(looksLikeToken(t)).toBe(true);
  expect(looksLikeToken('password')).toBe(false);
  expect(await hashTokenSecret('abc')).toBe(
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  );
});

test('scopes: all covers everything, write implies read', () => {
  expect(normalizeScopes([])).toEqual(['all']);
  expect(normalizeScopes(['write:user', 'read:repository', 'write:user'])).toEqual([
    'read:repository',
    'write:user',
  ]);
  expect(hasScope(['all'], 'write', 'issue')).toBe(true);
  expect(hasScope(['write:repository'], 'read', 'repository')).toBe(true);
  expect(hasScope(['read:repository'], 'write', 'repository')).toBe(false);
  expect(hasScope(['read:repository'], 'read', 'user')).toBe(false);
});
