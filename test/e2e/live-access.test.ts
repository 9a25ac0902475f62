// Live sockets check access again: a socket opened while its user could read a private issue is
// closed once the user is removed as collaborator, the token it was opened with is revoked or the
// session ends, while sockets still authorised keep receiving events.
import { describe, expect, test } from 'vitest';
import {
  type Auth,
  asCookie,
  asPassword,
  asToken,
  call,
  createRepo,
  createToken,
  signUp,
  type TestUser,
  uniqueName,
} from '../helpers/accounts';
import { CLOSE_WAIT_MS, LOST, openLive, received, within } from '../helpers/live';
import { grantOn } from '../helpers/repo-setup';
import { serverUrl } from '../helpers/server';

const base = serverUrl();

interface Setup {
  owner: TestUser;
  ownerAuth: Auth;
  reader: TestUser;
  repo: string;
  livePath: string;
}

/** A private repository with one issue, readable by `reader` as a collaborator. */
async function privateIssue(): Promise<Setup> {
  const owner = await signUp(base, 'live-own');
  const reader = await signUp(base, 'live-read');
  const ownerAuth = asPassword(owner);
  const repo = (await createRepo(base, ownerAuth, uniqueName('secret'), { private: true })).full_name;
  await grantOn(base, repo, ownerAuth, reader, 'read');
  const issue = await call<{ number: number }>(base, 'POST', `/api/v1/repos/${repo}/issues`, {
    auth: ownerAuth,
    json: { title: 'hidden plans' },
  });
  expect(issue.status).toBe(201);
  return {
    owner,
    ownerAuth,
    reader,
    repo,
    livePath: `/api/v1/repos/${repo}/issues/${issue.body.number}/live`,
  };
}

async function comment(s: Setup, body: string): Promise<void> {
  const r = await call(base, 'POST', `/api/v1/repos/${s.repo}/issues/1/comments`, {
    auth: s.ownerAuth,
    json: { body },
  });
  expect(r.status).toBe(201);
}

describe('live sockets lose access', () => {
  test('removing the collaborator closes their socket; the owner keeps receiving', async () => {
    const s = await privateIssue();
    const readerToken = (await createToken(base, s.reader)).sha1;
    const theirs = await openLive(base, s.livePath, asToken(readerToken));
    const owners = await openLive(base, s.livePath, s.ownerAuth);
    // Both receive while both may read.
    await comment(s, 'first-note');
    await received(theirs, 'first-note');
    await received(owners, 'first-note');

    const del = await call(base, 'DELETE', `/api/v1/repos/${s.repo}/collaborators/${s.reader.username}`, {
      auth: s.ownerAuth,
    });
    expect(del.status).toBe(204);
    expect(await within(theirs.ended, CLOSE_WAIT_MS, 'the removed reader’s socket closed')).toEqual(LOST);
    await comment(s, 'after-removal');
    await received(owners, 'after-removal');
    expect(owners.isOpen()).toBe(true);
    expect(theirs.messages.some((m) => m.includes('after-removal'))).toBe(false);
  });

  test('revoking the token closes the sockets it opened; another token of the user keeps its own', async () => {
    const s = await privateIssue();
    const revoked = await createToken(base, s.reader);
    const kept = await createToken(base, s.reader);
    const doomed = await openLive(base, s.livePath, asToken(revoked.sha1));
    const survivor = await openLive(base, s.livePath, asToken(kept.sha1));

    const del = await call(base, 'DELETE', `/api/v1/users/${s.reader.username}/tokens/${revoked.id}`, {
      auth: asPassword(s.reader),
    });
    expect(del.status).toBe(204);
    expect(await within(doomed.ended, CLOSE_WAIT_MS, 'the revoked token’s socket closed')).toEqual(LOST);
    await comment(s, 'after-revocation');
    await received(survivor, 'after-revocation');
    expect(survivor.isOpen()).toBe(true);
    expect(doomed.messages.some((m) => m.includes('after-revocation'))).toBe(false);
  });

  test('signing out closes the sockets of that session', async () => {
    const s = await privateIssue();
    const bySession = await openLive(base, s.livePath, asCookie(s.reader));
    const byToken = await openLive(base, s.livePath, asToken((await createToken(base, s.reader)).sha1));
    const out = await call(base, 'POST', '/api/auth/sign-out', {
      auth: asCookie(s.reader),
      headers: { origin: base },
      json: {},
    });
    expect(out.status).toBe(200);
    expect(await within(bySession.ended, CLOSE_WAIT_MS, 'the ended session’s socket closed')).toEqual(LOST);
    await comment(s, 'after-sign-out');
    await received(byToken, 'after-sign-out');
    expect(byToken.isOpen()).toBe(true);
  });
});
