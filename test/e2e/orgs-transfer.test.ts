// Transferring repositories between a user and an organization: the repository keeps its git
// data, issues and id; its old owner/name keeps answering for git and the API and its public
// pages redirect, until the old owner takes the name again. Only admins of both sides may move it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  asToken,
  authUrl,
  call,
  createRepo,
  createUser,
  type GitUser,
  uniqueName,
} from '../helpers/accounts';
import { git, TempDirs } from '../helpers/git';
import { gitAsync } from '../helpers/node-git-server';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
const dirs = new TempDirs();
let ada: GitUser;
let bob: GitUser;
let org: string;
let src: string;

beforeAll(async () => {
  [ada, bob] = await Promise.all([createUser(base, 'xfer-ada'), createUser(base, 'xfer-bob')]);
  org = uniqueName('xfer-org');
  const r = await call(base, 'POST', '/api/v1/orgs', { auth: asToken(ada.token), json: { username: org } });
  expect(r.status).toBe(201);
  src = dirs.make();
  git(src, ['init', '-q', '-b', 'main']);
  writeFileSync(join(src, 'README'), 'moving\n');
  git(src, ['add', 'README']);
  git(src, ['commit', '-q', '-m', 'first']);
});

afterAll(() => dirs.removeAll());

const transfer = (who: GitUser, fullName: string, newOwner: string) =>
  call(base, 'POST', `/api/v1/repos/${fullName}/transfer`, {
    auth: asToken(who.token),
    json: { new_owner: newOwner },
  });

test('a user moves a repository to an organization; old and new URLs clone the same history', async () => {
  const name = uniqueName('moved');
  const repo = await createRepo(base, { token: ada.token }, name);
  expect((await gitAsync(src, ['push', '-q', authUrl(base, ada, ada.username, name), 'main'])).code).toBe(0);
  const issue = await call(base, 'POST', `/api/v1/repos/${ada.username}/${name}/issues`, {
    auth: asToken(ada.token),
    json: { title: 'survives the move' },
  });
  expect(issue.status).toBe(201);

  // Refusals first: nothing moves.
  expect((await transfer(bob, `${ada.username}/${name}`, bob.username)).status).toBe(403);
  expect((await transfer(ada, `${ada.username}/${name}`, bob.username)).status).toBe(403);
  expect((await transfer(ada, `${ada.username}/${name}`, uniqueName('nobody'))).status).toBe(404);
  expect((await transfer(ada, `${ada.username}/${name}`, ada.username)).status).toBe(422);

  const moved = await transfer(ada, `${ada.username}/${name}`, org);
  expect(moved.status, JSON.stringify(moved.body)).toBe(202);
  expect(moved.body).toMatchObject({ id: repo.id, full_name: `${org}/${name}`, owner: { login: org } });

  const clones = dirs.make();
  for (const [dir, owner] of [
    ['new', org],
    ['old', ada.username],
  ] as const) {
    const r = await gitAsync(clones, ['clone', '-q', authUrl(base, ada, owner, name), dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(git(join(clones, dir), ['log', '--format=%s'])).toBe('first\n');
  }
  const viaOld = await call(base, 'GET', `/api/v1/repos/${ada.username}/${name}`);
  expect(viaOld.body).toMatchObject({ id: repo.id, full_name: `${org}/${name}` });
  const issueNow = await call(base, 'GET', `/api/v1/repos/${org}/${name}/issues/1`);
  expect(issueNow.body).toMatchObject({ number: 1, title: 'survives the move' });
  // The public page under the old name redirects to the new one.
  const page = await fetch(`${base}/${ada.username}/${name}`, { redirect: 'manual' });
  await page.arrayBuffer();
  expect(page.status).toBe(301);
  expect(page.headers.get('location')).toBe(`${base}/${org}/${name}`);

  // Pushing through the old URL lands in the moved repository.
  git(join(clones, 'old'), ['commit', '-q', '--allow-empty', '-m', 'second']);
  expect((await gitAsync(join(clones, 'old'), ['push', '-q', 'origin', 'main'])).code).toBe(0);
  const branch = await call<{ commit: { message: string } }>(
    base,
    'GET',
    `/api/v1/repos/${org}/${name}/branches/main`,
  );
  expect(branch.body.commit.message.trim()).toBe('second');

  // The old owner takes the name again: the old URL is the new repository from then on.
  const again = await createRepo(base, { token: ada.token }, name);
  expect(again.id).not.toBe(repo.id);
  const now = await call(base, 'GET', `/api/v1/repos/${ada.username}/${name}`);
  expect(now.body).toMatchObject({ id: again.id, full_name: `${ada.username}/${name}` });
  // The organization's repository cannot come back while the name is taken.
  expect((await transfer(ada, `${org}/${name}`, ada.username)).status).toBe(409);
});

test('an organization owner moves a private repository back to themselves; strangers see nothing', async () => {
  const name = uniqueName('back');
  const made = await call(base, 'POST', `/api/v1/orgs/${org}/repos`, {
    auth: asToken(ada.token),
    json: { name, private: true },
  });
  expect(made.status).toBe(201);
  expect((await transfer(bob, `${org}/${name}`, bob.username)).status).toBe(404);
  const back = await transfer(ada, `${org}/${name}`, ada.username);
  expect(back.status).toBe(202);
  expect(back.body).toMatchObject({ full_name: `${ada.username}/${name}`, private: true });
  // No redirect for a private repository: the old URL answers after the permission check.
  for (const [cookie, status] of [
    [bob.cookie, 404],
    [ada.cookie, 200],
  ] as const) {
    const res = await fetch(`${base}/${org}/${name}`, { headers: { Cookie: cookie }, redirect: 'manual' });
    await res.arrayBuffer();
    expect(res.status).toBe(status);
  }
  expect((await call(base, 'GET', `/api/v1/repos/${org}/${name}`, { auth: asToken(bob.token) })).status).toBe(
    404,
  );
});
