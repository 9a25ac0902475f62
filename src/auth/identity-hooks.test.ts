import { expect, test } from 'vitest';
import { loginOf } from '../db/users';
import { afterUserUpdate, checkIdentityFields, type IdentityDeps } from './identity-hooks';

function deps(retired: Record<string, number> = {}) {
  const renames: [number, string, string][] = [];
  const d: IdentityDeps = {
    usernameTaken: async () => false,
    retiredNameHolder: async (n) => retired[n] ?? null,
    recordRename: async (id, a, b) => {
      renames.push([id, a, b]);
    },
  };
  return { d, renames };
}

const me = async () => ({ id: 7, username: 'mallory' });

test('displayUsername may only change the case of the username', async () => {
  const { d } = deps();
  const signUp = (body: object) => checkIdentityFields({ path: '/sign-up/email', body }, me, d);
  await expect(signUp({ username: 'mallory', displayUsername: 'alice' })).rejects.toThrow(/displayUsername/);
  await expect(signUp({ username: 'mallory', displayUsername: '/evil.example' })).rejects.toThrow();
  await expect(signUp({ username: 'mallory', displayUsername: 1 })).rejects.toThrow();
  await expect(signUp({ username: 'mallory', displayUsername: 'MalLory' })).resolves.toBeUndefined();
  const update = (body: object) => checkIdentityFields({ path: '/update-user', body }, me, d);
  await expect(update({ displayUsername: 'alice' })).rejects.toThrow(/displayUsername/);
  await expect(update({ displayUsername: 'Mallory' })).resolves.toBeUndefined();
  await expect(update({ username: 'bob', displayUsername: 'mallory' })).rejects.toThrow();
  await expect(update({ name: 'alice' })).resolves.toBeUndefined();
});

test('a rename carries the case-kept login along and cannot take a name another account gave up', async () => {
  const { d } = deps({ alice: 1, 'old-me': 7 });
  const body: Record<string, unknown> = { username: 'Bob' };
  await checkIdentityFields({ path: '/update-user', body }, me, d);
  expect(body.displayUsername).toBe('Bob');
  await expect(
    checkIdentityFields({ path: '/update-user', body: { username: 'Alice' } }, me, d),
  ).rejects.toThrow(/taken/);
  await expect(
    checkIdentityFields({ path: '/update-user', body: { username: 'old-me' } }, me, d),
  ).resolves.toBeUndefined();
  await expect(
    checkIdentityFields({ path: '/sign-up/email', body: { username: 'ALICE' } }, me, d),
  ).rejects.toThrow(/taken/);
});

test('only a changed username is retired, for the account that changed it', async () => {
  const { d, renames } = deps();
  const ctx = (id: number, username: string) => ({ context: { session: { user: { id, username } } } });
  await afterUserUpdate({ id: 7, username: 'bob' }, ctx(7, 'mallory'), d);
  await afterUserUpdate({ id: 7, username: 'bob' }, ctx(7, 'Bob'), d);
  await afterUserUpdate({ id: 8, username: 'carol' }, ctx(7, 'mallory'), d);
  await afterUserUpdate({ id: 7, username: 'bob' }, null, d);
  expect(renames).toEqual([[7, 'mallory', 'bob']]);
});

test('a row shows its displayUsername only while it spells the username', () => {
  expect(loginOf({ username: 'alice', displayUsername: 'Alice' })).toBe('Alice');
  expect(loginOf({ username: 'mallory', displayUsername: 'alice' })).toBe('mallory');
  expect(loginOf({ username: 'mallory', displayUsername: '/evil.example' })).toBe('mallory');
  expect(loginOf({ username: 'mallory', displayUsername: null })).toBe('mallory');
});
