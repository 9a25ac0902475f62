import { describe, expect, it } from 'vitest';
import { gitTry } from '../../test/helpers/git';
import { isValidRefName } from './refname';

const NAMES = [
  'refs/heads/main',
  'refs/heads/feature/x',
  'main',
  'HEAD',
  'refs/heads/a..b',
  'refs/heads/a.b',
  'refs/heads/@{x}',
  'refs/heads/a@b',
  'refs/heads/@',
  '@',
  'refs/heads/x.lock',
  'refs/heads/x.lock/y',
  'refs/heads/x.locky',
  'refs/heads//x',
  '/refs/heads/x',
  'refs/heads/x/',
  'refs/heads/x.',
  'refs/heads/.x',
  'refs/heads/x/.y',
  'refs/heads/a\tb',
  'refs/heads/a\x7fb',
  'refs/heads/a\x01b',
  'refs/heads/a b',
  'refs/heads/a~b',
  'refs/heads/a^b',
  'refs/heads/a:b',
  'refs/heads/a?b',
  'refs/heads/a*b',
  'refs/heads/a[b',
  'refs/heads/a]b',
  'refs/heads/a\\b',
  'refs/heads/-x',
  'refs/heads/x-',
  'refs/tags/v1.0',
  'refs/heads/ünïcødé',
  'refs/heads/a{b}',
  'refs/heads/@@',
  'refs/heads/a/.',
  'refs/heads/a/..',
  'refs/heads/.',
  'refs/heads/...',
  'refs/heads/a.',
  'refs/heads/x.lock.x',
  'refs/.heads/x',
  'refs/heads/%',
  'refs/heads/a!b',
  'refs/heads/a"b',
  'refs',
  '',
];

function gitSays(name: string): boolean {
  return gitTry('.', ['check-ref-format', name]).code === 0;
}

describe('isValidRefName', () => {
  it('agrees with git check-ref-format on tricky names', () => {
    const disagreements = NAMES.filter((n) => isValidRefName(n) !== gitSays(n));
    expect(disagreements).toEqual([]);
    // Both outcomes are represented, so the comparison is meaningful.
    expect(NAMES.filter((n) => isValidRefName(n)).length).toBeGreaterThan(8);
    expect(NAMES.filter((n) => !isValidRefName(n)).length).toBeGreaterThan(20);
  });

  it('refuses a leading dash, which the git CLI reads as an option', () => {
    expect(isValidRefName('-refs/heads/x')).toBe(false);
    expect(isValidRefName('refs/heads/-x')).toBe(gitSays('refs/heads/-x'));
  });

  it('accepts one-level names only when asked', () => {
    expect(isValidRefName('main')).toBe(false);
    expect(isValidRefName('main', { allowOneLevel: true })).toBe(true);
  });
});
