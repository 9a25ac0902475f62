// The CI loop on the pages, in headless Chromium: a pull request shows its reviews (with line
// comments and a dismissed approval), each status check with its description and link, and why
// its base branch's rule blocks the merge; history and the branch list show status marks.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import {
  asToken,
  authUrl,
  call,
  createRepo,
  createUser,
  type GitUser,
  uniqueName,
} from '../helpers/accounts';
import { contextAs, launchChromium } from '../helpers/browser';
import { git, TempDirs } from '../helpers/git';

const base = inject('baseUrl');
const dirs = new TempDirs();
let owner: GitUser;
let writer: GitUser;
let browser: Browser;

beforeAll(async () => {
  owner = await createUser(base, 'pui-owner');
  writer = await createUser(base, 'pui-writer');
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  dirs.removeAll();
});

function commit(dir: string, file: string, text: string): string {
  writeFileSync(join(dir, file), `${text}\n`);
  git(dir, ['add', file]);
  git(dir, ['commit', '-q', '-m', text]);
  return git(dir, ['rev-parse', 'HEAD']).trim();
}

test('reviews, checks and the rule on the pull request; marks in history and on branches', async () => {
  const name = uniqueName('pui');
  await createRepo(base, owner, name);
  const path = `/api/v1/repos/${owner.username}/${name}`;
  const auth = asToken(owner.token);
  expect(
    (
      await call(base, 'PUT', `${path}/collaborators/${writer.username}`, {
        auth,
        json: { permission: 'write' },
      })
    ).status,
  ).toBe(204);
  const dir = dirs.make();
  const url = authUrl(base, owner, owner.username, name);
  git(dir, ['init', '-q', '-b', 'main']);
  const mainSha = commit(dir, 'a.txt', 'first');
  git(dir, ['checkout', '-q', '-b', 'feature']);
  const head1 = commit(dir, 'b.txt', 'feature one');
  git(dir, ['push', '-q', url, 'main', 'feature']);
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
  const head2 = commit(dir, 'b.txt', 'feature two');
  git(dir, ['push', '-q', url, 'feature']);
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

  const context = await contextAs(browser, base, owner);
  const page = await context.newPage();
  const web = `${base}/${owner.username}/${name}`;
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
  await context.close();
});
