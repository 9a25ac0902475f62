import { expect, test } from 'vitest';
import { isValidUsername, usernameCandidate, usernameProblem } from './username';

test('usernames follow the GitHub-like rule and avoid reserved words', () => {
  for (const ok of ['a', 'A1', 'al-ice', 'x'.repeat(39), 'Under-Score9'])
    expect(isValidUsername(ok), ok).toBe(true);
  expect(usernameProblem('')).toBe('empty');
  expect(usernameProblem('x'.repeat(40))).toBe('too_long');
  for (const bad of ['-a', 'a-', 'a_b', 'a.b', 'a b', 'ü']) expect(usernameProblem(bad), bad).toBe('invalid');
  for (const r of ['api', 'Login', 'SETTINGS', 'new', 'explore', '_serverFn', 'assets', 'users']) {
    expect(isValidUsername(r), r).toBe(false);
  }
});

test('OAuth username candidates are valid usernames', () => {
  expect(usernameCandidate('Ada Lovelace')).toBe('Ada-Lovelace');
  expect(usernameCandidate('jane.doe+x@example.com')).toBe('jane-doe-x');
  expect(usernameCandidate('admin')).toBe('admin-user');
  expect(usernameCandidate('!!!')).toBe('user-1');
  for (const hint of ['  ', '名前', 'a'.repeat(80), '--x--', 'api']) {
    expect(isValidUsername(usernameCandidate(hint)), hint).toBe(true);
  }
});
