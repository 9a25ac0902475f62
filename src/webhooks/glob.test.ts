import { describe, expect, test } from 'vitest';
import { branchMatches, compileGlob } from './glob';

describe('branch filters (Gitea glob)', () => {
  test.each([
    ['', 'main', true],
    ['*', 'feature/x', true],
    ['main', 'main', true],
    ['main', 'main2', false],
    ['release/*', 'release/1.0', true],
    ['release/*', 'releases/1.0', false],
    ['{main,dev}', 'dev', true],
    ['{main,dev}', 'test', false],
    ['v?.x', 'v1.x', true],
    ['v?.x', 'v10.x', false],
    ['[ab]*', 'beta', true],
    ['[!ab]*', 'beta', false],
    ['a.b', 'axb', false],
  ])('%s matches %s: %s', (filter, branch, expected) => {
    expect(branchMatches(filter, branch)).toBe(expected);
  });

  test.each(['{a,b', 'a}', '[abc', '[]'])('%s is not a valid glob', (pattern) => {
    expect(compileGlob(pattern)).toBeNull();
  });
});
