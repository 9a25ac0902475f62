import { describe, expect, test } from 'vitest';
import { compileGlob, GlobError, isGlob } from './glob';
import { type BranchRule, combineStates, refuseMerge, refusePush, ruleFor } from './rules';

function rule(ruleName: string, id: number, over: Partial<BranchRule> = {}): BranchRule {
  return {
    ruleName,
    id,
    enablePush: true,
    enablePushWhitelist: false,
    pushWhitelistUsernames: [],
    enableForcePush: false,
    requiredApprovals: 0,
    enableStatusCheck: false,
    statusCheckContexts: [],
    blockOnRejectedReviews: false,
    dismissStaleApprovals: false,
    ...over,
  };
}

describe('globs as Gitea compiles rule names', () => {
  test.each([
    ['release/*', 'release/1', true],
    ['release/*', 'release/1/x', false],
    ['release/**', 'release/1/x', true],
    ['v?', 'v1', true],
    ['v?', 'v/', false],
    ['[ab]-x', 'b-x', true],
    ['[!ab]-x', 'b-x', false],
    ['{main,master}', 'master', true],
    ['{main,master}', 'mai', false],
    ['a.b', 'aXb', false],
    ['\\*', '*', true],
  ])('%s matches %s: %s', (glob, name, matches) => {
    expect(compileGlob(glob)(name)).toBe(matches);
  });

  test.each(['rel[ease', '{a,b', 'a}', 'x\\'])('%s is refused', (glob) => {
    expect(() => compileGlob(glob)).toThrow(GlobError);
  });

  test('plain names are not globs', () => {
    expect(isGlob('feature/x-1.2')).toBe(false);
    expect(isGlob('feature/*')).toBe(true);
  });
});

describe('which rule covers a branch', () => {
  test('a plain name wins over an older glob; among globs the oldest wins', () => {
    const rules = [rule('*', 1), rule('ma*', 2), rule('main', 3)];
    expect(ruleFor(rules, 'main')?.ruleName).toBe('main');
    expect(ruleFor(rules, 'master')?.ruleName).toBe('*');
    expect(ruleFor([rule('feature/*', 1)], 'main')).toBeUndefined();
  });
});

describe('push verdicts', () => {
  const move = (kind: 'create' | 'update' | 'delete', fastForward = true) => ({
    branch: 'main',
    kind,
    fastForward,
  });
  test('deletion and force pushes are refused; fast-forwards pass', () => {
    const r = rule('main', 1);
    expect(refusePush(r, move('delete'), 'ann')).toContain('may not be deleted');
    expect(refusePush(r, move('update', false), 'ann')).toContain('force pushes');
    expect(refusePush(r, move('update'), 'ann')).toBeUndefined();
    expect(
      refusePush(rule('main', 1, { enableForcePush: true }), move('update', false), 'ann'),
    ).toBeUndefined();
  });

  test('the allowlist is matched ignoring case; a rule without pushes refuses all', () => {
    const r = rule('main', 1, { enablePushWhitelist: true, pushWhitelistUsernames: ['Ann'] });
    expect(refusePush(r, move('update'), 'ann')).toBeUndefined();
    expect(refusePush(r, move('create'), 'bob')).toContain("'bob' may not push");
    expect(refusePush(rule('main', 1, { enablePush: false }), move('update'), 'ann')).toContain(
      'are refused',
    );
  });
});

describe('merge verdicts', () => {
  const r = rule('main', 1, {
    requiredApprovals: 2,
    blockOnRejectedReviews: true,
    enableStatusCheck: true,
    statusCheckContexts: ['ci/*'],
  });
  test('approvals, rejections and every matching context must be met', () => {
    const ok = { approvals: 2, rejected: false, statuses: { 'ci/a': 'success', 'ci/b': 'success' } } as const;
    expect(refuseMerge(r, ok)).toBeUndefined();
    expect(refuseMerge(r, { ...ok, approvals: 1 })).toContain('2 approvals required, 1 given');
    expect(refuseMerge(r, { ...ok, rejected: true })).toContain('changes were requested');
    expect(refuseMerge(r, { ...ok, statuses: { 'ci/a': 'success', 'ci/b': 'pending' } })).toContain('ci/*');
    expect(refuseMerge(r, { ...ok, statuses: { other: 'success' } })).toContain('ci/*');
  });

  test('the combined state is the worst', () => {
    expect(combineStates([])).toBeNull();
    expect(combineStates(['success', 'pending'])).toBe('pending');
    expect(combineStates(['error', 'failure', 'success'])).toBe('failure');
    expect(combineStates(['warning', 'success'])).toBe('warning');
  });
});
