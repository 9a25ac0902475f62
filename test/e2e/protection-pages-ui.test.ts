// Settings → Branches and the review form, in headless Chromium: an admin adds a protection rule
// on the settings page (the API's refusal of a duplicate shown), a writer approves through the
// pull request's review form, and the author's own approval is refused with the API's message.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { asToken, call, createUser, type GitUser } from '../helpers/accounts';
import { BrowserPages } from '../helpers/browser';
import { TempDirs } from '../helpers/git';
import { openPull, pushedRepo } from '../helpers/repo-setup';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
const dirs = new TempDirs();
let owner: GitUser;
let writer: GitUser;
const pages = new BrowserPages(base);

beforeAll(async () => {
  owner = await createUser(base, 'ppui-owner');
  writer = await createUser(base, 'ppui-writer');
  await pages.launch();
}, 180_000);

afterAll(async () => {
  await pages.close();
  dirs.removeAll();
});

/** A repository with `main`, a `feature` branch one commit ahead, a pull request and a writer. */
async function repoWithPull(): Promise<{ path: string; web: string; number: number }> {
  const { path, web } = await pushedRepo(base, dirs, owner, {
    prefix: 'ppui',
    collaborators: [[writer, 'write']],
    featureBy: owner,
  });
  return { path, web, number: await openPull(base, path, owner, 'F') };
}

async function openAs(user: GitUser | null, url: string): Promise<Page> {
  const page = await pages.pageAs(user);
  await page.goto(url, { waitUntil: 'networkidle' });
  return page;
}

test('an admin adds and edits a rule for main in Settings → Branches; a duplicate and a bad edit are refused', async () => {
  const { path, web } = await repoWithPull();
  const page = await openAs(owner, `${web}/settings`);
  // The list loads in the browser: its answer means the page is live.
  await page.getByText('No protected branches yet.').waitFor();
  const form = page.getByRole('form', { name: 'Add protection rule' });
  const addMain = async () => {
    await form.getByLabel('Branch name or pattern').fill('main');
    await form.getByLabel('Required approvals').fill('1');
    await form.getByLabel('Required status checks (contexts)').fill('ci/build, ci/test');
    await form.getByLabel('Dismiss approvals when new commits are pushed').check();
    await form.getByRole('button', { name: 'Add rule' }).click();
  };
  await addMain();
  const rule = page.locator('[data-testid=protection-rule][data-rule="main"]');
  await expect(rule.textContent()).resolves.toContain('1 approval');

  const listed = await call<Record<string, unknown>[]>(base, 'GET', `${path}/branch_protections`, {
    auth: asToken(owner.token),
  });
  expect(listed.status).toBe(200);
  expect(listed.body).toHaveLength(1);
  expect(listed.body[0]).toMatchObject({
    rule_name: 'main',
    required_approvals: 1,
    enable_push: true,
    enable_force_push: false,
    enable_status_check: true,
    status_check_contexts: ['ci/build', 'ci/test'],
    dismiss_stale_approvals: true,
    block_on_rejected_reviews: false,
  });

  // The same name again: the API's 409 message on the page, and still one rule.
  await addMain();
  await expect(page.getByRole('alert').textContent()).resolves.toBe("a rule named 'main' already exists");
  const again = await call<unknown[]>(base, 'GET', `${path}/branch_protections`, {
    auth: asToken(owner.token),
  });
  expect(again.body).toHaveLength(1);

  // Edit: the form starts from the rule; a refused edit (unknown user) changes nothing, then a
  // valid one is what the API returns and what the list shows.
  await rule.getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('form', { name: 'Edit rule main' });
  await expect(edit.getByLabel('Required approvals').inputValue()).resolves.toBe('1');
  await expect(edit.getByLabel('Required status checks (contexts)').inputValue()).resolves.toBe(
    'ci/build, ci/test',
  );
  await edit.getByLabel('Push allowlist (usernames)').fill('no-such-user-here');
  await edit.getByRole('button', { name: 'Save rule' }).click();
  await expect(page.getByRole('alert').textContent()).resolves.toBe(
    "push_whitelist_usernames: user 'no-such-user-here' does not exist",
  );
  const unchanged = await call<Record<string, unknown>[]>(base, 'GET', `${path}/branch_protections`, {
    auth: asToken(owner.token),
  });
  expect(unchanged.body[0]).toMatchObject({ required_approvals: 1, push_whitelist_usernames: [] });
  await edit.getByLabel('Push allowlist (usernames)').fill(writer.username);
  await edit.getByLabel('Required approvals').fill('2');
  await edit.getByLabel('Required status checks (contexts)').fill('ci/lint');
  await edit.getByLabel('Dismiss approvals when new commits are pushed').uncheck();
  await edit.getByLabel('Allow force pushes').check();
  await edit.getByRole('button', { name: 'Save rule' }).click();
  await edit.waitFor({ state: 'detached' });
  await expect(rule.textContent()).resolves.toContain('2 approvals');
  await expect(rule.textContent()).resolves.toContain(`push: ${writer.username}`);
  const edited = await call<Record<string, unknown>[]>(base, 'GET', `${path}/branch_protections`, {
    auth: asToken(owner.token),
  });
  expect(edited.body).toHaveLength(1);
  expect(edited.body[0]).toMatchObject({
    rule_name: 'main',
    required_approvals: 2,
    enable_push: true,
    enable_push_whitelist: true,
    push_whitelist_usernames: [writer.username],
    enable_force_push: true,
    enable_status_check: true,
    status_check_contexts: ['ci/lint'],
    dismiss_stale_approvals: false,
    block_on_rejected_reviews: false,
  });

  // Delete: the list empties and so does the API's.
  await rule.getByRole('button', { name: 'Delete' }).click();
  await page.getByText('No protected branches yet.').waitFor();
  const after = await call<unknown[]>(base, 'GET', `${path}/branch_protections`, {
    auth: asToken(owner.token),
  });
  expect(after.body).toEqual([]);
  await page.context().close();
});

test("a writer approves through the review form; the author's own approval is refused", async () => {
  const { path, web, number } = await repoWithPull();
  const url = `${web}/pull/${number}`;

  const anonymous = await openAs(null, url);
  await expect(anonymous.getByTestId('pull-title').count()).resolves.toBe(1);
  await expect(anonymous.getByTestId('review-form').count()).resolves.toBe(0);
  await anonymous.context().close();

  const page = await openAs(writer, url);
  const form = page.getByTestId('review-form');
  await form.getByLabel('Review body').fill('looks good');
  await form.getByRole('button', { name: 'Approve' }).click();
  const review = page.getByTestId('review');
  await expect(review.textContent()).resolves.toContain(`${writer.username} approved`);
  await expect(review.textContent()).resolves.toContain('looks good');
  await page.context().close();

  const reviews = await call<{ state: string; body: string; user: { login: string } }[]>(
    base,
    'GET',
    `${path}/pulls/${number}/reviews`,
    { auth: asToken(owner.token) },
  );
  expect(reviews.status).toBe(200);
  expect(reviews.body.map((r) => [r.user.login, r.state, r.body])).toEqual([
    [writer.username, 'APPROVED', 'looks good'],
  ]);

  const mine = await openAs(owner, url);
  await mine.getByTestId('review-form').getByRole('button', { name: 'Approve' }).click();
  await expect(mine.getByRole('alert').textContent()).resolves.toBe(
    'authors cannot approve their own pull request',
  );
  // The author may still comment: the same form works for them.
  await mine.getByTestId('review-form').getByLabel('Review body').fill('a note');
  await mine.getByTestId('review-form').getByRole('button', { name: 'Comment' }).click();
  await expect(mine.getByTestId('review').nth(1).textContent()).resolves.toContain(
    `${owner.username} reviewed`,
  );
  await mine.context().close();
  const final = await call<{ state: string; user: { login: string } }[]>(
    base,
    'GET',
    `${path}/pulls/${number}/reviews`,
    { auth: asToken(owner.token) },
  );
  expect(final.body.map((r) => [r.user.login, r.state])).toEqual([
    [writer.username, 'APPROVED'],
    [owner.username, 'COMMENT'],
  ]);
});

test('line comments written on the files tab are sent with the review and shown on both tabs', async () => {
  const { path, web, number } = await repoWithPull();
  const anonymous = await openAs(null, `${web}/pull/${number}/files`);
  await expect(anonymous.getByTestId('diff').count()).resolves.toBe(1);
  await expect(anonymous.getByRole('button', { name: 'Comment on b.txt line 1' }).count()).resolves.toBe(0);
  await anonymous.context().close();

  const page = await openAs(writer, `${web}/pull/${number}/files`);
  await page.getByRole('button', { name: 'Comment on b.txt line 1' }).click();
  await page.getByLabel('Line comment').fill('say why here');
  await page.getByRole('button', { name: 'Add to review' }).click();
  await expect(page.getByTestId('pending-line-comment').textContent()).resolves.toContain('say why here');
  await expect(page.getByTestId('review-pending').textContent()).resolves.toContain('1 line comment');
  const form = page.getByTestId('review-form');
  await form.getByLabel('Review body').fill('one note');
  await form.getByRole('button', { name: 'Request changes' }).click();
  // Sent: the page reloads its data and shows the comment under its line, no longer pending.
  const posted = page.getByTestId('line-comment');
  await posted.waitFor();
  await expect(posted.textContent()).resolves.toBe(`${writer.username} say why here`);
  await expect(page.getByTestId('pending-line-comment').count()).resolves.toBe(0);
  await page.context().close();

  const reviews = await call<{ state: string; body: string; comments: unknown[] }[]>(
    base,
    'GET',
    `${path}/pulls/${number}/reviews`,
    { auth: asToken(owner.token) },
  );
  expect(reviews.body.map((r) => [r.state, r.body, r.comments])).toEqual([
    ['REQUEST_CHANGES', 'one note', [{ path: 'b.txt', new_position: 1, body: 'say why here' }]],
  ]);
  const conversation = await openAs(owner, `${web}/pull/${number}`);
  await expect(conversation.getByTestId('review-line-comment').textContent()).resolves.toBe(
    'b.txt:1 say why here',
  );
  await conversation.context().close();
});
