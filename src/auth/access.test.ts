import { describe, expect, test } from 'vitest';
import {
  can,
  computePermission,
  decideApiAccess,
  decideGitAccess,
  type OrgGrant,
  orgVisibleTo,
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

describe('computePermission in organizations', () => {
  type Who =
    | 'anonymous'
    | 'owner'
    | 'admin team'
    | 'write team'
    | 'read team'
    | 'member, no team access'
    | 'stranger';
  const grants: Record<Exclude<Who, 'anonymous'>, OrgGrant> = {
    owner: { member: true, owner: true, team: 'admin' },
    'admin team': { member: true, owner: false, team: 'admin' },
    'write team': { member: true, owner: false, team: 'write' },
    'read team': { member: true, owner: false, team: 'read' },
    'member, no team access': { member: true, owner: false, team: 'none' },
    stranger: { member: false, owner: false, team: 'none' },
  };
  const ORG = 10;
  const who: Who[] = [
    'anonymous',
    'owner',
    'admin team',
    'write team',
    'read team',
    'member, no team access',
    'stranger',
  ];
  // [org visibility, repository private] -> permission per `who`, in that order.
  const matrix: ['public' | 'limited' | 'private', boolean, Permission[]][] = [
    ['public', false, ['read', 'admin', 'admin', 'write', 'read', 'read', 'read']],
    ['public', true, ['none', 'admin', 'admin', 'write', 'read', 'none', 'none']],
    ['limited', false, ['none', 'admin', 'admin', 'write', 'read', 'read', 'read']],
    ['limited', true, ['none', 'admin', 'admin', 'write', 'read', 'none', 'none']],
    ['private', false, ['none', 'admin', 'admin', 'write', 'read', 'read', 'none']],
    ['private', true, ['none', 'admin', 'admin', 'write', 'read', 'none', 'none']],
  ];
  for (const [visibility, isPrivate, expected] of matrix) {
    test.each(who.map((w, i) => [w, expected[i]] as const))(
      `${visibility} organization, ${isPrivate ? 'private' : 'public'} repository: %s -> %s`,
      (w, perm) => {
        const repo = { ownerId: ORG, private: isPrivate, orgVisibility: visibility };
        const actor = w === 'anonymous' ? null : { userId: 5, scopes: all };
        const grant = w === 'anonymous' ? null : grants[w];
        expect(computePermission(repo, actor, null, grant)).toBe(perm);
      },
    );
  }

  test('the highest of team permission, collaborator grant and public read wins', () => {
    const repo = { ownerId: ORG, private: true, orgVisibility: 'private' as const };
    const actor = { userId: 5, scopes: all };
    expect(computePermission(repo, actor, 'write', grants['read team'])).toBe('write');
    expect(computePermission(repo, actor, 'read', grants['admin team'])).toBe('admin');
    // An outside collaborator of a private organization's repository keeps the grant.
    expect(computePermission(repo, actor, 'read', grants.stranger)).toBe('read');
    expect(computePermission(repo, actor, null, grants.stranger)).toBe('none');
  });

  test('token scopes cap team and owner grants; a scope-less token sees what anonymous sees', () => {
    const priv = { ownerId: ORG, private: false, orgVisibility: 'private' as const };
    const pubOrg = { ownerId: ORG, private: false, orgVisibility: 'public' as const };
    expect(computePermission(priv, { userId: 5, scopes: ['read:repository'] }, null, grants.owner)).toBe(
      'read',
    );
    expect(computePermission(priv, { userId: 5, scopes: ['read:user'] }, null, grants.owner)).toBe('none');
    expect(computePermission(pubOrg, { userId: 5, scopes: ['read:user'] }, null, grants.owner)).toBe('read');
    expect(
      computePermission(pubOrg, { userId: 5, scopes: ['write:repository'] }, null, grants['write team']),
    ).toBe('write');
  });

  test('orgVisibleTo', () => {
    expect(orgVisibleTo('public', false, false)).toBe(true);
    expect(orgVisibleTo('limited', false, false)).toBe(false);
    expect(orgVisibleTo('limited', true, false)).toBe(true);
    expect(orgVisibleTo('private', true, false)).toBe(false);
    expect(orgVisibleTo('private', true, true)).toBe(true);
  });
});
