// The CI loop's rules end to end: branch protection refusing real `git push`es (force, deletion,
// pushers outside the allowlist, atomic pushes), branch deletion through the API, a pull request
// whose merge is refused until an approval and a successful required status exist (and again after
// a new push dismisses the approval). Commit statuses and who may call each endpoint:
// protection-statuses.test.ts.
import { describe, expect, test } from 'vitest';
import { call } from '../helpers/accounts';
import { git, gitTry } from '../helpers/git';
import { protectionFixture, type Who } from '../helpers/protection';
import { commitFile } from '../helpers/repo-setup';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
const { users, tok, setup } = protectionFixture(base);

function remoteSha(dir: string, url: string, ref: string): string {
  return git(dir, ['ls-remote', url, ref]).split('\t')[0] ?? '';
}

describe('git push under branch protection', () => {
  test('force pushes, deletions and pushers outside the allowlist are refused with the rule; the branch is unchanged', async () => {
    const { path, dir, url } = await setup();
    const rule = await call(base, 'POST', `${path}/branch_protections`, {
      auth: tok('owner'),
      json: {
        rule_name: 'main',
        enable_push: true,
        enable_push_whitelist: true,
        push_whitelist_usernames: [users.owner.username],
      },
    });
    expect(rule.status).toBe(201);
    expect(rule.body).toMatchObject({
      rule_name: 'main',
      enable_force_push: false,
      push_whitelist_usernames: [users.owner.username],
    });
    const glob = await call(base, 'POST', `${path}/branch_protections`, {
      auth: tok('admin'),
      json: { rule_name: 'release/*' },
    });
    expect(glob.status).toBe(201);
    const branch = await call(base, 'GET', `${path}/branches/main`, { auth: tok('reader') });
    expect(branch.body).toMatchObject({ name: 'main', protected: true });

    // Positive control: the allowlisted owner fast-forwards main.
    const second = commitFile(dir, 'a.txt', 'second');
    expect(gitTry(dir, ['push', url('owner'), 'main']).code).toBe(0);
    expect(remoteSha(dir, url('owner'), 'refs/heads/main')).toBe(second);

    // A force push (rewritten tip) is refused, naming the rule; main stays.
    git(dir, ['commit', '-q', '--amend', '-m', 'rewritten']);
    const forced = gitTry(dir, ['push', '--force', '--porcelain', url('owner'), 'main']);
    expect(forced.code).not.toBe(0);
    expect(forced.stdout).toMatch(
      /refs\/heads\/main.*protected branch: force pushes to 'main' are refused \(rule 'main'\)/,
    );
    expect(remoteSha(dir, url('owner'), 'refs/heads/main')).toBe(second);

    // Deletion is refused even for the allowlisted owner.
    const deleted = gitTry(dir, ['push', '--porcelain', url('owner'), ':main']);
    expect(deleted.stdout).toContain("protected branch: branch 'main' may not be deleted (rule 'main')");
    expect(remoteSha(dir, url('owner'), 'refs/heads/main')).toBe(second);

    // A writer outside the allowlist: refused on main, accepted on another branch.
    git(dir, ['reset', '-q', '--hard', second]);
    const third = commitFile(dir, 'a.txt', 'third');
    const byWriter = gitTry(dir, ['push', '--porcelain', url('writer'), 'main']);
    expect(byWriter.stdout).toContain(
      `protected branch: '${users.writer.username}' may not push to 'main' (rule 'main')`,
    );
    expect(remoteSha(dir, url('owner'), 'refs/heads/main')).toBe(second);
    expect(gitTry(dir, ['push', url('writer'), 'main:feature']).code).toBe(0);
    expect(remoteSha(dir, url('owner'), 'refs/heads/feature')).toBe(third);
    const listed = await call<{ name: string; protected: boolean }[]>(base, 'GET', `${path}/branches`, {
      auth: tok('reader'),
    });
    expect(Object.fromEntries(listed.body.map((x) => [x.name, x.protected]))).toEqual({
      feature: false,
      main: true,
    });

    // An atomic push with one refused ref lands nothing.
    const atomic = gitTry(dir, ['push', '--atomic', '--porcelain', url('writer'), 'main:topic', 'main:main']);
    expect(atomic.code).not.toBe(0);
    expect(atomic.stdout).toContain('protected branch');
    expect(remoteSha(dir, url('owner'), 'refs/heads/topic')).toBe('');

    // The glob rule (no pushes at all) covers release/1 but not release/1/x's sibling "releases".
    const release = gitTry(dir, ['push', '--porcelain', url('owner'), 'main:release/1']);
    expect(release.stdout).toContain(
      "protected branch: pushes to 'release/1' are refused; merge a pull request (rule 'release/*')",
    );
    expect(gitTry(dir, ['push', url('owner'), 'main:releases']).code).toBe(0);

    // Branch deletion through the API: refused for main, allowed for feature.
    const apiDelete = await call(base, 'DELETE', `${path}/branches/main`, { auth: tok('owner') });
    expect(apiDelete.status).toBe(403);
    expect(apiDelete.body).toEqual({ message: expect.stringContaining("may not be deleted (rule 'main')") });
    expect((await call(base, 'DELETE', `${path}/branches/feature`, { auth: tok('owner') })).status).toBe(204);
    expect(remoteSha(dir, url('owner'), 'refs/heads/feature')).toBe('');
    expect(remoteSha(dir, url('owner'), 'refs/heads/main')).toBe(second);

    // Once the rule allows force pushes, the rewritten tip goes through.
    const patched = await call(base, 'PATCH', `${path}/branch_protections/main`, {
      auth: tok('owner'),
      json: { enable_force_push: true },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ enable_force_push: true, enable_push_whitelist: true });
    git(dir, ['commit', '-q', '--amend', '-m', 'rewritten again']);
    const rewritten = git(dir, ['rev-parse', 'HEAD']).trim();
    expect(gitTry(dir, ['push', '--force', url('owner'), 'main']).code).toBe(0);
    expect(remoteSha(dir, url('owner'), 'refs/heads/main')).toBe(rewritten);
  });

  test('bad rules are refused with 422 and nothing is saved', async () => {
    const { path } = await setup();
    for (const json of [
      { rule_name: 'rel[ease' },
      { rule_name: 'main', required_approvals: -1 },
      { rule_name: 'main', enable_push: 'yes' },
      { rule_name: 'main', push_whitelist_usernames: ['no-such-user-anywhere'] },
      { rule_name: 'main', status_check_contexts: ['ci/{a'] },
      {},
    ]) {
      const r = await call(base, 'POST', `${path}/branch_protections`, { auth: tok('owner'), json });
      expect(r.status, JSON.stringify(json)).toBe(422);
      expect(r.body).toEqual({ message: expect.any(String) });
    }
    expect((await call(base, 'GET', `${path}/branch_protections`, { auth: tok('owner') })).body).toEqual([]);
    expect(
      (
        await call(base, 'POST', `${path}/branch_protections`, {
          auth: tok('owner'),
          json: { rule_name: 'main' },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await call(base, 'POST', `${path}/branch_protections`, {
          auth: tok('owner'),
          json: { rule_name: 'main' },
        })
      ).status,
    ).toBe(409);
    expect(
      (await call(base, 'DELETE', `${path}/branch_protections/main`, { auth: tok('owner') })).status,
    ).toBe(204);
    expect((await call(base, 'GET', `${path}/branch_protections/main`, { auth: tok('owner') })).status).toBe(
      404,
    );
  });
});

describe('pull request merge under branch protection', () => {
  test('refused until an approval and a successful required status exist; a new push dismisses the approval', async () => {
    const { path, dir, url } = await setup();
    git(dir, ['checkout', '-q', '-b', 'feature']);
    const head1 = commitFile(dir, 'b.txt', 'feature one');
    git(dir, ['push', '-q', url('owner'), 'feature']);
    const rule = await call(base, 'POST', `${path}/branch_protections`, {
      auth: tok('owner'),
      json: {
        rule_name: 'main',
        required_approvals: 1,
        enable_status_check: true,
        status_check_contexts: ['ci/build'],
        block_on_rejected_reviews: true,
        dismiss_stale_approvals: true,
      },
    });
    expect(rule.status).toBe(201);
    const pr = await call<{ number: number }>(base, 'POST', `${path}/pulls`, {
      auth: tok('owner'),
      json: { head: 'feature', base: 'main', title: 'Feature' },
    });
    expect(pr.status).toBe(201);
    const n = pr.body.number;
    const mainBefore = remoteSha(dir, url('owner'), 'refs/heads/main');
    const merge = () =>
      call<{ message?: string; merged?: boolean }>(base, 'POST', `${path}/pulls/${n}/merge`, {
        auth: tok('owner'),
        json: { Do: 'merge' },
      });
    const review = (who: Who, event: string, body = '') =>
      call<Record<string, unknown>>(base, 'POST', `${path}/pulls/${n}/reviews`, {
        auth: tok(who),
        json: { event, body },
      });
    const status = (sha: string, state: string) =>
      call(base, 'POST', `${path}/statuses/${sha}`, {
        auth: tok('writer'),
        json: {
          state,
          context: 'ci/build',
          description: `build ${state}`,
          target_url: 'https://ci.example.com/1',
        },
      });

    let m = await merge();
    expect(m.status).toBe(405);
    expect(m.body.message).toContain("1 approval required, 0 given (rule 'main')");

    // The author cannot approve; a reader's approval is not official and does not count.
    expect((await review('owner', 'APPROVED')).status).toBe(422);
    expect((await review('reader', 'APPROVED')).body).toMatchObject({ official: false, state: 'APPROVED' });
    expect((await merge()).body.message).toContain('0 given');

    expect((await review('writer', 'APPROVED', 'looks good')).body).toMatchObject({
      official: true,
      commit_id: head1,
    });
    m = await merge();
    expect(m.status).toBe(405);
    expect(m.body.message).toContain('status checks not successful: ci/build');
    expect((await status(head1, 'pending')).status).toBe(201);
    expect((await merge()).status).toBe(405);
    expect((await status(head1, 'success')).status).toBe(201);

    // A writer requesting changes blocks; approving afterwards lifts it (latest review counts).
    expect((await review('writer2', 'REQUEST_CHANGES', 'please rename')).status).toBe(200);
    m = await merge();
    expect(m.status).toBe(405);
    expect(m.body.message).toContain('changes were requested');
    expect((await review('writer2', 'COMMENT', 'still thinking')).status).toBe(200);
    expect((await merge()).status).toBe(405);

    // A new push dismisses the approvals (and the statuses were for the old head).
    const head2 = commitFile(dir, 'b.txt', 'feature two');
    git(dir, ['push', '-q', url('owner'), 'feature']);
    const reviews = await call<
      { user: { login: string }; state: string; stale: boolean; dismissed: boolean }[]
    >(base, 'GET', `${path}/pulls/${n}/reviews`, { auth: tok('reader') });
    expect(reviews.status).toBe(200);
    const byWriter = reviews.body.find((r) => r.user.login === users.writer.username);
    expect(byWriter).toMatchObject({ state: 'APPROVED', stale: true, dismissed: true });
    expect((await review('writer2', 'APPROVED')).status).toBe(200);
    m = await merge();
    expect(m.status).toBe(405);
    expect(m.body.message).toContain('status checks not successful');
    expect(remoteSha(dir, url('owner'), 'refs/heads/main')).toBe(mainBefore);

    expect((await status(head2, 'success')).status).toBe(201);
    m = await merge();
    expect(m.status).toBe(200);
    expect(m.body.merged).toBe(true);
    const mainAfter = remoteSha(dir, url('owner'), 'refs/heads/main');
    git(dir, ['fetch', '-q', url('owner'), 'main']);
    expect(git(dir, ['rev-list', '--parents', '-n', '1', mainAfter]).trim().split(' ').slice(1)).toEqual([
      mainBefore,
      head2,
    ]);
  });
});
