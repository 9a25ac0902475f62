// The CI loop on the pages, in headless Chromium: a pull request shows its reviews (with line
// comments and a dismissed approval), each status check with its description and link, and why
// its base branch's rule blocks the merge; history and the branch list show status marks.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { asToken, call, createUser, type GitUser } from '../helpers/accounts';
import { BrowserPages } from '../helpers/browser';
import { git, TempDirs } from '../helpers/git';
import { commitFile, pushedRepo } from '../helpers/repo-setup';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
const dirs = new TempDirs();
let owner: GitUser;
let writer: GitUser;
const pages = new BrowserPages(base);

beforeAll(async () => {
  owner = await createUser(base, 'pui-owner');
  writer = await createUser(base, 'pui-writer');
  await pages.launch();
}, 180_000);

afterAll(async () => {
  await pages.close();
  dirs.removeAll();
});

test('reviews, checks and the rule on the pull request; marks in history and on branches', async () => {
  const repo = await pushedRepo(base, dirs, owner, {
    prefix: 'pui',
    collaborators: [[writer, 'write']],
    featureBy: owner,
  });
  const { path, dir, web, url, main: mainSha } = repo;
  const head1 = repo.feature ?? '';
  const auth = asToken(owner.token);
  const rule = {
    rule_name: 'main',
    required_approvals: 1,
    enable_status_check: true,
    status_check_contexts: ['ci/build'],
    dismiss_stale_approvals: true,
  };
  expect((await call(base, 'POST', `${path}/branch_protections`, { auth, json: rule })).status).toBe(201);
  const pr = await call<{ number: number }>(base, 'POST', `${path}/pulls`, {
    auth,
    json: { head: 'feature', base: 'main', title: 'F' },
  });
  const wauth = asToken(writer.token);
  const reviewed = await call(base, 'POST', `${path}/pulls/${pr.body.number}/reviews`, {
    auth: wauth,
    json: {
      event: 'APPROVED',
      body: 'ship it',
      comments: [{ path: 'b.txt', body: 'nice line', new_position: 1 }],
    },
  });
  expect(reviewed.status).toBe(200);
  const head2 = commitFile(dir, 'b.txt', 'feature two');
  git(dir, ['push', '-q', url(owner), 'feature']);
  for (const [sha, state] of [
    [head2, 'failure'],
    [head1, 'success'],
    [mainSha, 'pending'],
  ]) {
    const r = await call(base, 'POST', `${path}/statuses/${sha}`, {
      auth: wauth,
      json: {
        state,
        context: 'ci/build',
        description: `build ${state}`,
        target_url: 'https://ci.example.com/b/7',
      },
    });
    expect(r.status).toBe(201);
  }

  const page = await pages.pageAs(owner);
  await page.goto(`${web}/pull/${pr.body.number}`, { waitUntil: 'networkidle' });
  const review = page.getByTestId('review');
  await expect(review.textContent()).resolves.toContain('approved');
  await expect(review.textContent()).resolves.toContain('dismissed');
  await expect(page.getByTestId('review-line-comment').textContent()).resolves.toBe('b.txt:1 nice line');
  const check = page.getByTestId('pull-check');
  await expect(check.textContent()).resolves.toContain('ci/build build failure');
  await expect(check.locator('a').getAttribute('href')).resolves.toBe('https://ci.example.com/b/7');
  await expect(check.getByTestId('status-mark').getAttribute('data-state')).resolves.toBe('failure');
  await expect(page.getByTestId('pull-gate').textContent()).resolves.toContain(
    'Merging is blocked: 1 approval required, 0 given',
  );

  // History: a check beside the feature's first commit, a cross beside its second.
  await page.goto(`${web}/commits/feature`, { waitUntil: 'networkidle' });
  const marks = await page
    .getByTestId('commit-list')
    .getByTestId('status-mark')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));
  expect(marks).toEqual(['failure', 'success', 'pending']);

  // Branches: each tip's combined state.
  await page.goto(`${web}/branches`, { waitUntil: 'networkidle' });
  const list = page.getByTestId('branch-list');
  const byBranch = await list
    .locator('li')
    .evaluateAll((items) =>
      items.map((li) => [
        li.querySelector('.rp-refname')?.textContent,
        li.querySelector('[data-testid=status-mark]')?.getAttribute('data-state'),
      ]),
    );
  expect(Object.fromEntries(byBranch)).toEqual({ main: 'pending', feature: 'failure' });
});
