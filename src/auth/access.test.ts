import { describe, expect, test } from 'vitest';
import {
  can,
  computePermission,
  decideApiAccess,
  decideGitAccess,
  type Permission,
  scopeCeiling,
} from './access';

const pub = { ownerId: 1, private: false };
const priv = { ownerId: 1, private: true };
const all = ['all'];

describe('computePermission', () => {
  test('owner is admin, collaborators get their grant, others read public only', () => {
    expect(computePermission(priv, { userId: 1, scopes: all }, null)).toBe('admin');
    expect(computePermission(priv, { userId: 2, scopes: all }, 'write')).toBe('write');
    expect(computePermission(priv, { userId: 3, scopes: all }, null)).toBe('none');
    expect(computePermission(pub, { userId: 3, scopes: all }, null)).toBe('read');
    expect(computePermission(pub, null, null)).toBe('read');
    expect(computePermission(priv, null, null)).toBe('none');
  });

  test('token scopes cap the grant but never go below anonymous access', () => {
    expect(computePermission(priv, { userId: 1, scopes: ['read:repository'] }, null)).toBe('read');
    expect(computePermission(priv, { userId: 1, scopes: ['write:repository'] }, null)).toBe('admin');
    expect(computePermission(priv, { userId: 1, scopes: ['read:user'] }, null)).toBe('none');
    expect(computePermission(pub, { userId: 1, scopes: ['read:user'] }, null)).toBe('read');
    expect(computePermission(pub, { userId: 2, scopes: ['read:repository'] }, 'admin')).toBe('read');
  });

  test('scopeCeiling and can', () => {
    expect(scopeCeiling(['all'])).toBe('admin');
    expect(scopeCeiling(['read:repository', 'read:issue'])).toBe('read');
    expect(scopeCeiling(['write:issue'])).toBe('none');
    const order: Permission[] = ['none', 'read', 'write', 'admin'];
    for (const [i, p] of order.entries()) {
      expect([can(p, 'read'), can(p, 'write'), can(p, 'admin')]).toEqual([i >= 1, i >= 2, i >= 3]);
    }
  });
});

describe('git access (CONTRACT.md "Git over HTTP")', () => {
  // [found, permission, anonymous, action] -> status (0 = allowed), challenge
  const cases: [boolean, Permission, boolean, 'read' | 'write', number, boolean][] = [
    [true, 'read', true, 'read', 0, false], // anyone fetches a public repository
    [true, 'read', true, 'write', 401, true], // anonymous push to public: 401 + challenge
    [true, 'read', false, 'write', 403, false], // signed in, no write: 403
    [true, 'write', false, 'write', 0, false],
    [true, 'none', true, 'read', 401, true], // private + anonymous: 401 + challenge
    [false, 'none', true, 'read', 401, true], // missing + anonymous: the same
    [true, 'none', false, 'read', 404, false], // private + signed in without read: 404
    [false, 'none', false, 'write', 404, false], // missing + signed in: 404
  ];
  test.each(cases)('found=%s perm=%s anon=%s %s -> %i', (found, perm, anon, action, status, challenge) => {
    const out = decideGitAccess(found, perm, anon, action);
    if (status === 0) expect(out).toEqual({ ok: true });
    else expect(out).toEqual({ ok: false, status, challenge });
  });
});

describe('API access', () => {
  test('unreadable is 404 for everyone; lacking a right is 401 anonymous, 403 signed in', () => {
    expect(decideApiAccess(true, 'none', true, 'read')).toMatchObject({ status: 404 });
    expect(decideApiAccess(true, 'none', false, 'admin')).toMatchObject({ status: 404 });
    expect(decideApiAccess(false, 'none', false, 'read')).toMatchObject({ status: 404 });
    expect(decideApiAccess(true, 'read', true, 'write')).toMatchObject({ status: 401, challenge: false });
    expect(decideApiAccess(true, 'write', false, 'admin')).toMatchObject({ status: 403 });
    expect(decideApiAccess(true, 'admin', false, 'admin')).toEqual({ ok: true });
  });
});
