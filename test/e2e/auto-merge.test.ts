// Auto-merge (Gitea's `merge_when_checks_succeed`) end to end: a pull request scheduled while its
// base branch's rule is unmet merges as its scheduler when the last condition comes true (a
// status posted, an approval, a push to the head), a cancelled one does not, a conflict cancels it
// with a comment; the head branch deleted after merging (never a protected one); archived
// repositories refuse pushes; and who may schedule and cancel.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type Auth,
  asToken,
  authUrl,
  call,
  createToken,
  createUser,
  type GitUser,
} from '../helpers/accounts';
import { contextAs, launchChromium, waitForHydration } from '../helpers/browser';
import { git, gitTry, TempDirs } from '../helpers/git';
import { commitFile, openPull, pushedRepo } from '../helpers/repo-setup';
import { serverUrl } from '../helpers/server';
import { waitFor } from '../helpers/wait';

const base = serverUrl();
const dirs = new TempDirs();

type Who = 'owner' | 'admin' | 'writer' | 'reader' | 'stranger';
const users = {} as Record<Who, GitUser>;
const tok = (who: Who): Auth => asToken(users[who].token);

beforeAll(async () => {
  const names: Who[] = ['owner', 'admin', 'writer', 'reader', 'stranger'];
  const made = await Promise.all(names.map((n) => createUser(base, `am-${n}`)));
  names.forEach((n, i) => {
    users[n] = made[i];
  });
});

afterAll(() => dirs.removeAll());

/**
 * A repository with collaborators, `main` pushed and a branch `feature` one commit ahead with a
 * pull request open by the writer; `rule` (if given) protects main.
 */
async function setup(opts: { private?: boolean; rule?: Record<string, unknown> } = {}) {
  const repo = await pushedRepo(base, dirs, users.owner, {
    prefix: 'am',
    private: opts.private,
    collaborators: [
      [users.admin, 'admin'],
      [users.writer, 'write'],
      [users.reader, 'read'],
    ],
    featureBy: users.writer,
  });
  const { name, path, dir } = repo;
  if (opts.rule) {
    const r = await call(base, 'POST', `${path}/branch_protections`, { auth: tok('owner'), json: opts.rule });
    expect(r.status).toBe(201);
  }
  const number = await openPull(base, path, users.writer);
  const url = (who: Who) => repo.url(users[who]);
  return { name, path, dir, url, head: repo.feature ?? '', number, pull: `${path}/pulls/${number}` };
}

interface PullBody {
  merged: boolean;
  state: string;
  merged_by: { login: string } | null;
  merge_commit_sha: string | null;
}

const pullOf = async (pull: string) => (await call<PullBody>(base, 'GET', pull, { auth: tok('owner') })).body;
const mergedPull = (pull: string) =>
  waitFor(`${pull} merged`, async () => {
    const p = await pullOf(pull);
    return p.merged ? p : undefined;
  });
const branchStatus = async (path: string, branch: string) =>
  (await call(base, 'GET', `${path}/branches/${branch}`, { auth: tok('owner') })).status;
const schedule = (pull: string, who: Who, extra: Record<string, unknown> = {}) =>
  call(base, 'POST', `${pull}/merge`, {
    auth: tok(who),
    json: { Do: 'merge', merge_when_checks_succeed: true, ...extra },
  });
const status = (path: string, sha: string, state: string, context = 'ci/build') =>
  call(base, 'POST', `${path}/statuses/${sha}`, { auth: tok('owner'), json: { state, context } });

const CI_RULE = {
  rule_name: 'main',
  enable_push: true,
  enable_status_check: true,
  status_check_contexts: ['ci/build'],
};

describe('auto-merge', () => {
  test('a successful required status merges the scheduled pull request as its scheduler, deleting the head branch', async () => {
    const { path, pull, head } = await setup({ rule: CI_RULE });
    const scheduled = await schedule(pull, 'writer', { delete_branch_after_merge: true });
    expect(scheduled.status).toBe(201);
    expect((await pullOf(pull)).merged).toBe(false);
    // A second schedule is refused while one stands.
    expect((await schedule(pull, 'admin')).status).toBe(409);
    // A pending status satisfies nothing; the rule still refuses a merge by hand.
    expect((await status(path, head, 'pending')).status).toBe(201);
    const byHand = await call(base, 'POST', `${pull}/merge`, { auth: tok('owner'), json: { Do: 'merge' } });
    expect(byHand.status).toBe(405);
    expect((await status(path, head, 'success')).status).toBe(201);
    const merged = await mergedPull(pull);
    expect(merged.merged_by?.login).toBe(users.writer.username);
    const main = await call<{ commit: { id: string } }>(base, 'GET', `${path}/branches/main`, {
      auth: tok('owner'),
    });
    expect(main.body.commit.id).toBe(merged.merge_commit_sha);
    await waitFor('feature deleted', async () => (await branchStatus(path, 'feature')) === 404);
    // Nothing is left to cancel.
    expect((await call(base, 'DELETE', `${pull}/merge`, { auth: tok('writer') })).status).toBe(404);
  });

  test('an approval merges it; the head branch is kept without delete_branch_after_merge', async () => {
    const { path, pull } = await setup({ rule: { rule_name: 'main', required_approvals: 1 } });
    expect((await schedule(pull, 'writer', { delete_branch_after_merge: false })).status).toBe(201);
    // A comment-only review changes nothing; the approval is the last condition.
    const review = (event: string) =>
      call(base, 'POST', `${pull}/reviews`, { auth: tok('admin'), json: { event, body: event } });
    expect((await review('COMMENT')).status).toBe(200);
    expect((await pullOf(pull)).merged).toBe(false);
    expect((await review('APPROVED')).status).toBe(200);
    expect((await mergedPull(pull)).merged_by?.login).toBe(users.writer.username);
    expect(await branchStatus(path, 'feature')).toBe(200);
  });

  test('a push to the head whose commit already has a successful status merges it', async () => {
    const { path, pull, dir, url } = await setup({ rule: CI_RULE });
    expect((await schedule(pull, 'owner')).status).toBe(201);
    // The next commit goes to another branch first, where CI marks it successful.
    const next = commitFile(dir, 'c.txt', 'next');
    git(dir, ['push', '-q', url('writer'), 'HEAD:refs/heads/staging']);
    expect((await status(path, next, 'success')).status).toBe(201);
    expect((await pullOf(pull)).merged).toBe(false);
    git(dir, ['push', '-q', url('writer'), 'feature']);
    const merged = await mergedPull(pull);
    expect(merged.merged_by?.login).toBe(users.owner.username);
    const log = await call<{ sha: string }[]>(base, 'GET', `${path}/commits?sha=main&limit=5`, {
      auth: tok('owner'),
    });
    expect(log.body.map((c) => c.sha)).toContain(next);
  });

  test('a cancelled schedule does not merge; another scheduled beside it does', async () => {
    const first = await setup({ rule: CI_RULE });
    expect((await schedule(first.pull, 'writer')).status).toBe(201);
    // The reader may not cancel; the scheduler's fellow writer (the owner) may, once.
    expect((await call(base, 'DELETE', `${first.pull}/merge`, { auth: tok('reader') })).status).toBe(403);
    expect((await call(base, 'DELETE', `${first.pull}/merge`, { auth: tok('owner') })).status).toBe(204);
    expect((await call(base, 'DELETE', `${first.pull}/merge`, { auth: tok('owner') })).status).toBe(404);
    expect((await status(first.path, first.head, 'success')).status).toBe(201);
    // Control in the same repository: a second pull request scheduled after, merged by its status.
    git(first.dir, ['checkout', '-q', '-b', 'other', 'main']);
    const other = commitFile(first.dir, 'o.txt', 'other');
    git(first.dir, ['push', '-q', first.url('writer'), 'other']);
    const pr = await call<{ number: number }>(base, 'POST', `${first.path}/pulls`, {
      auth: tok('writer'),
      json: { head: 'other', base: 'main', title: 'Other' },
    });
    const second = `${first.path}/pulls/${pr.body.number}`;
    expect((await schedule(second, 'writer')).status).toBe(201);
    expect((await status(first.path, other, 'success')).status).toBe(201);
    await mergedPull(second);
    // Every run after the first status has passed over the first pull request: still open.
    expect(await pullOf(first.pull)).toMatchObject({ merged: false, state: 'open' });
  });

  test('a conflict when the checks pass cancels the schedule with a comment', async () => {
    const { path, pull, dir, url, head, number } = await setup({ rule: CI_RULE });
    expect((await schedule(pull, 'writer')).status).toBe(201);
    // main moves on with a change to the same file as the head.
    git(dir, ['checkout', '-q', 'main']);
    commitFile(dir, 'b.txt', 'conflicting');
    git(dir, ['push', '-q', url('owner'), 'main']);
    expect((await status(path, head, 'success')).status).toBe(201);
    const comment = await waitFor('the cancelling comment', async () => {
      const list = await call<{ body: string; user: { login: string } }[]>(
        base,
        'GET',
        `${path}/issues/${number}/comments`,
        { auth: tok('owner') },
      );
      return list.body.find((c) => c.body.startsWith('Auto-merge was cancelled'));
    });
    expect(comment.body).toContain('merge conflict in: b.txt');
    expect(comment.user.login).toBe(users.writer.username);
    expect(await pullOf(pull)).toMatchObject({ merged: false, state: 'open' });
    expect((await call(base, 'DELETE', `${pull}/merge`, { auth: tok('writer') })).status).toBe(404);
  });

  test('checks already met: merge_when_checks_succeed merges at once (200)', async () => {
    const { path, pull, head } = await setup({ rule: CI_RULE });
    expect((await status(path, head, 'success')).status).toBe(201);
    const r = await schedule(pull, 'writer');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ merged: true });
  });
});

describe('delete_branch_after_merge', () => {
  test('the repository default deletes the head; a protected head is kept', async () => {
    const { path, pull, name } = await setup();
    const patched = await call(base, 'PATCH', path, {
      auth: tok('owner'),
      json: { default_delete_branch_after_merge: true },
    });
    expect(patched.status).toBe(200);
    const r = await call(base, 'POST', `${pull}/merge`, { auth: tok('writer'), json: { Do: 'merge' } });
    expect(r.status).toBe(200);
    expect(await branchStatus(path, 'feature')).toBe(404);

    // A second pull request whose head a rule protects: merged, the branch kept.
    const dir = dirs.make();
    git(dir, ['clone', '-q', authUrl(base, users.owner, users.owner.username, name), '.']);
    git(dir, ['checkout', '-q', '-b', 'release/1']);
    commitFile(dir, 'r.txt', 'release');
    git(dir, ['push', '-q', 'origin', 'release/1']);
    const rule = await call(base, 'POST', `${path}/branch_protections`, {
      auth: tok('owner'),
      json: { rule_name: 'release/*', enable_push: true },
    });
    expect(rule.status).toBe(201);
    const pr = await call<{ number: number }>(base, 'POST', `${path}/pulls`, {
      auth: tok('owner'),
      json: { head: 'release/1', base: 'main', title: 'Release' },
    });
    const merged = await call(base, 'POST', `${path}/pulls/${pr.body.number}/merge`, {
      auth: tok('owner'),
      json: { Do: 'merge', delete_branch_after_merge: true },
    });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ merged: true });
    expect(await branchStatus(path, 'release/1')).toBe(200);
  });
});

describe('archived repositories', () => {
  test('refuse git push with the reason over protocol v0 and v2, storing nothing; unarchived they accept it', async () => {
    const { path, dir, url, pull } = await setup();
    expect((await call(base, 'PATCH', path, { auth: tok('owner'), json: { archived: true } })).status).toBe(
      200,
    );
    git(dir, ['checkout', '-q', 'feature']);
    const tip = commitFile(dir, 'z.txt', 'archived?');
    for (const version of ['0', '2']) {
      const r = gitTry(dir, ['-c', `protocol.version=${version}`, 'push', url('owner'), 'feature']);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('This repository is archived');
    }
    expect(git(dir, ['ls-remote', url('owner'), 'refs/heads/feature'])).not.toContain(tip);
    // Scheduling and cancelling are refused too.
    expect((await schedule(pull, 'owner')).status).toBe(423);
    expect((await call(base, 'DELETE', `${pull}/merge`, { auth: tok('owner') })).status).toBe(423);
    expect((await call(base, 'PATCH', path, { auth: tok('owner'), json: { archived: false } })).status).toBe(
      200,
    );
    expect(gitTry(dir, ['push', url('owner'), 'feature']).code).toBe(0);
    expect(git(dir, ['ls-remote', url('owner'), 'refs/heads/feature'])).toContain(tip);
  });
});

describe('who may schedule and cancel an auto-merge', () => {
  const ACTORS = ['anonymous', 'stranger', 'reader', 'writer', 'admin', 'owner', 'readToken'] as const;
  type Actor = (typeof ACTORS)[number];

  function expected(actor: Actor, isPrivate: boolean, ok: number): number {
    if (isPrivate && (actor === 'anonymous' || actor === 'stranger')) return 404;
    if (actor === 'anonymous') return 401;
    if (actor === 'stranger' || actor === 'reader' || actor === 'readToken') return 403;
    return ok;
  }

  for (const isPrivate of [false, true]) {
    test(`${isPrivate ? 'private' : 'public'} repository`, async () => {
      const { pull } = await setup({ private: isPrivate, rule: CI_RULE });
      const readToken = asToken((await createToken(base, users.owner, { scopes: ['read:repository'] })).sha1);
      const auth = (a: Actor): Auth => (a === 'anonymous' ? null : a === 'readToken' ? readToken : tok(a));
      const got: Record<string, Record<string, number>> = { schedule: {}, cancel: {} };
      const want: Record<string, Record<string, number>> = { schedule: {}, cancel: {} };
      for (const a of ACTORS) {
        const r = await call(base, 'POST', `${pull}/merge`, {
          auth: auth(a),
          json: { Do: 'merge', merge_when_checks_succeed: true },
        });
        got.schedule[a] = r.status;
        want.schedule[a] = expected(a, isPrivate, 201);
        // Each cell cancels a schedule of the owner's (made anew when the caller's did not stand).
        if (r.status !== 201) expect((await schedule(pull, 'owner')).status).toBe(201);
        got.cancel[a] = (await call(base, 'DELETE', `${pull}/merge`, { auth: auth(a) })).status;
        want.cancel[a] = expected(a, isPrivate, 204);
        if (got.cancel[a] !== 204)
          expect((await call(base, 'DELETE', `${pull}/merge`, { auth: tok('owner') })).status).toBe(204);
      }
      expect(got).toEqual(want);
    });
  }
});

describe('the merge box (Chromium)', () => {
  test('offers only the allowed styles with the default chosen, schedules and cancels an auto-merge, and is gone once archived', async () => {
    const { path, name, number } = await setup({ rule: CI_RULE });
    const settings = await call(base, 'PATCH', path, {
      auth: tok('owner'),
      json: { allow_rebase: false, default_merge_style: 'squash' },
    });
    expect(settings.status).toBe(200);
    const browser = await launchChromium();
    try {
      const page = await (await contextAs(browser, base, users.writer)).newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      const open = async () => {
        await page.goto(`${base}/${users.owner.username}/${name}/pull/${number}`, {
          waitUntil: 'networkidle',
        });
        await waitForHydration(page);
      };
      await open();
      const select = page.getByLabel('Merge style');
      await expect(
        select.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value)),
      ).resolves.toEqual(['merge', 'squash', 'fast-forward-only']);
      await expect(select.inputValue()).resolves.toBe('squash');
      const button = page.getByTestId('merge-button');
      await expect(button.textContent()).resolves.toBe('Merge when checks succeed');
      await button.click();
      // The box reloads the page: the reloaded page's cancel button works once it is hydrated.
      await page.getByTestId('auto-merge').waitFor({ timeout: 30_000 });
      await waitForHydration(page, 30_000);
      await expect(page.getByTestId('auto-merge').textContent()).resolves.toContain(
        `will merge automatically when checks pass (squash, scheduled by ${users.writer.username})`,
      );
      await page.getByTestId('cancel-auto-merge').click();
      await page.getByTestId('merge-button').waitFor({ timeout: 30_000 });
      expect(
        (await call(base, 'DELETE', `${path}/pulls/${number}/merge`, { auth: tok('owner') })).status,
      ).toBe(404);
      // Archived: marked, and no merge box.
      expect((await call(base, 'PATCH', path, { auth: tok('owner'), json: { archived: true } })).status).toBe(
        200,
      );
      await open();
      await expect(page.getByTestId('archived-badge').textContent()).resolves.toBe('Archived');
      await expect(page.getByTestId('merge-box').count()).resolves.toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

test("repository JSON carries the owner's full name", async () => {
  const { path } = await setup();
  const who = await call(base, 'PATCH', '/api/v1/user/settings', {
    auth: tok('owner'),
    json: { full_name: 'Auto Merge Owner' },
  });
  expect(who.status).toBe(200);
  const repo = await call<{ owner: { full_name: string; login: string } }>(base, 'GET', path, {
    auth: tok('reader'),
  });
  expect(repo.body.owner).toMatchObject({ login: users.owner.username, full_name: 'Auto Merge Owner' });
  const list = await call<{ owner: { full_name: string } }[]>(
    base,
    'GET',
    `/api/v1/users/${users.owner.username}/repos`,
    {
      auth: tok('reader'),
    },
  );
  expect(list.body.map((r) => r.owner.full_name)).toContain('Auto Merge Owner');
});
