import { expect, test } from 'vitest';
import { isValidBranchName, isValidTopic, repoNameProblem } from './validate';

test('repository names', () => {
  for (const ok of ['a', 'Hello.World', 'x_y-z', '.github', 'a'.repeat(100)])
    expect(repoNameProblem(ok), ok).toBeNull();
  for (const bad of ['', '.', '..', '-', 'a b', 'a/b', 'x.git', 'X.Git', 'w.wiki', 'a'.repeat(101), 'ü']) {
    expect(repoNameProblem(bad), bad).not.toBeNull();
  }
});

test('branch names and topics', () => {
  for (const ok of ['main', 'feature/x', 'v1.0']) expect(isValidBranchName(ok), ok).toBe(true);
  for (const bad of ['', 'a..b', '-x', 'x.lock', 'a b', 'x/', '@'])
    expect(isValidBranchName(bad), bad).toBe(false);
  expect(isValidTopic('web-dev')).toBe(true);
  expect(isValidTopic('Web')).toBe(false);
  expect(isValidTopic('-x')).toBe(false);
});
