// Commit statuses combined into a state, and who may call each endpoint of branch protection,
// commit statuses and reviews, on a public and a private repository.
import { describe, expect, test } from 'vitest';
import { type Auth, asToken, call, createToken } from '../helpers/accounts';
import { git } from '../helpers/git';
import { protectionFixture, type Who } from '../helpers/protection';
import { commitFile } from '../helpers/repo-setup';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
const { users, tok, setup } = protectionFixture(base);

describe('commit statuses', () => {
  test('the combined state is the worst of the latest status of each context', async () => {
    const { path, dir } = await setup();
    const sha = git(dir, ['rev-parse', 'HEAD']).trim();
    const post = (context: string, state: string) =>
      call(base, 'POST', `${path}/statuses/${sha}`, { auth: tok('writer'), json: { context, state } });
    const combined = async () =>
      (
        await call<{
          state: string;
          sha: string;
          total_count: number;
          statuses: { context: string; status: string }[];
        }>(base, 'GET', `${path}/commits/main/status`, { auth: tok('reader') })
      ).body;
    expect(await combined()).toMatchObject({ state: '', total_count: 0, sha });
    expect((await post('lint', 'success')).status).toBe(201);
    expect((await post('test', 'pending')).status).toBe(201);
    expect((await combined()).state).toBe('pending');
    expect((await post('test', 'failure')).status).toBe(201);
    expect((await post('lint', 'error')).status).toBe(201);
    expect((await combined()).state).toBe('failure');
    expect((await post('test', 'success')).status).toBe(201);
    const now = await combined();
    expect(now.state).toBe('error');
    expect(now.statuses.map((s) => [s.context, s.status])).toEqual([
      ['lint', 'error'],
      ['test', 'success'],
    ]);
    const all = await call<unknown[]>(base, 'GET', `${path}/commits/${sha}/statuses`, {
      auth: tok('reader'),
    });
    expect(all.body).toHaveLength(5);
    const bad = await post('x', 'great');
    expect(bad.status).toBe(422);
    expect(
      (await call<unknown[]>(base, 'GET', `${path}/statuses/${sha}`, { auth: tok('reader') })).body,
    ).toHaveLength(5);
    expect(
      (
        await call(base, 'POST', `${path}/statuses/${'0'.repeat(40)}`, {
          auth: tok('writer'),
          json: { state: 'success' },
        })
      ).status,
    ).toBe(404);
  });
});

describe('authorization of each endpoint', () => {
  type Actor = Who | 'anonymous' | 'readToken';
  const ACTORS: Actor[] = ['anonymous', 'stranger', 'reader', 'writer', 'admin', 'owner', 'readToken'];
  type Need = 'read' | 'write' | 'admin' | 'review';
  /** The status each actor gets: `ok` when allowed, else the refusal. */
  function expected(need: Need, actor: Actor, isPrivate: boolean, ok: number): number {
    const reads = !(isPrivate && (actor === 'anonymous' || actor === 'stranger'));
    if (!reads) return 404;
    if (need === 'read') return ok;
    if (actor === 'anonymous') return 401;
    if (actor === 'readToken') return 403;
    if (need === 'review') return ok;
    if (actor === 'stranger' || actor === 'reader') return 403;
    if (need === 'admin' && actor === 'writer') return 403;
    return ok;
  }

  for (const isPrivate of [false, true]) {
    test(`${isPrivate ? 'private' : 'public'} repository`, async () => {
      const { path, dir, url } = await setup({ private: isPrivate });
      git(dir, ['checkout', '-q', '-b', 'feature']);
      commitFile(dir, 'c.txt', 'feature');
      git(dir, ['push', '-q', url('owner'), 'feature']);
      const pr = await call<{ number: number }>(base, 'POST', `${path}/pulls`, {
        auth: tok('owner'),
        json: { head: 'feature', base: 'main', title: 'T' },
      });
      const sha = git(dir, ['rev-parse', 'main']).trim();
      const readToken = asToken((await createToken(base, users.owner, { scopes: ['read:repository'] })).sha1);
      const auth = (a: Actor): Auth => (a === 'anonymous' ? null : a === 'readToken' ? readToken : tok(a));
      const cases: [string, Need, number, (a: Actor) => Promise<number>][] = [
        [
          'GET branch_protections',
          'admin',
          200,
          async (a) => (await call(base, 'GET', `${path}/branch_protections`, { auth: auth(a) })).status,
        ],
        [
          'POST branch_protections',
          'admin',
          201,
          async (a) =>
            (
              await call(base, 'POST', `${path}/branch_protections`, {
                auth: auth(a),
                json: { rule_name: `r-${a}` },
              })
            ).status,
        ],
        [
          'GET branch_protections/{name}',
          'admin',
          404,
          async (a) => (await call(base, 'GET', `${path}/branch_protections/none`, { auth: auth(a) })).status,
        ],
        [
          'PATCH branch_protections/{name}',
          'admin',
          404,
          async (a) =>
            (await call(base, 'PATCH', `${path}/branch_protections/none`, { auth: auth(a), json: {} }))
              .status,
        ],
        [
          'DELETE branch_protections/{name}',
          'admin',
          404,
          async (a) =>
            (await call(base, 'DELETE', `${path}/branch_protections/none`, { auth: auth(a) })).status,
        ],
        [
          'POST statuses/{sha}',
          'write',
          201,
          async (a) =>
            (
              await call(base, 'POST', `${path}/statuses/${sha}`, {
                auth: auth(a),
                json: { state: 'success', context: a },
              })
            ).status,
        ],
        [
          'GET statuses/{ref}',
          'read',
          200,
          async (a) => (await call(base, 'GET', `${path}/statuses/main`, { auth: auth(a) })).status,
        ],
        [
          'GET commits/{ref}/statuses',
          'read',
          200,
          async (a) => (await call(base, 'GET', `${path}/commits/main/statuses`, { auth: auth(a) })).status,
        ],
        [
          'GET commits/{ref}/status',
          'read',
          200,
          async (a) => (await call(base, 'GET', `${path}/commits/main/status`, { auth: auth(a) })).status,
        ],
        [
          'POST pulls/{n}/reviews',
          'review',
          200,
          async (a) =>
            (
              await call(base, 'POST', `${path}/pulls/${pr.body.number}/reviews`, {
                auth: auth(a),
                json: { event: 'COMMENT', body: `by ${a}` },
              })
            ).status,
        ],
        [
          'GET pulls/{n}/reviews',
          'read',
          200,
          async (a) =>
            (await call(base, 'GET', `${path}/pulls/${pr.body.number}/reviews`, { auth: auth(a) })).status,
        ],
        [
          'DELETE branches/{branch} (missing)',
          'write',
          404,
          async (a) =>
            (await call(base, 'DELETE', `${path}/branches/no-such-branch`, { auth: auth(a) })).status,
        ],
      ];
      const got: Record<string, Record<string, number>> = {};
      const want: Record<string, Record<string, number>> = {};
      for (const [label, need, ok, run] of cases) {
        got[label] = {};
        want[label] = {};
        for (const a of ACTORS) {
          got[label][a] = await run(a);
          want[label][a] = expected(need, a, isPrivate, ok);
        }
      }
      expect(got).toEqual(want);
    });
  }
});
