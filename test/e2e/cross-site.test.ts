// Requests other sites make a browser send, and what a token's scopes let the pages show.
import { describe, expect, test } from 'vitest';
import {
  asPassword,
  basicAuth,
  call,
  createRepo,
  createToken,
  signUp,
  uniqueName,
} from '../helpers/accounts';
import { serverUrl } from '../helpers/server';

const base = serverUrl();

describe('cross-site requests', () => {
  test('a cross-site form post with cached Basic credentials is refused and changes nothing', async () => {
    const u = await signUp(base, 'csrf');
    const repo = (await createRepo(base, asPassword(u), uniqueName('target'))).full_name;
    const formPost = (headers: Record<string, string>, title: string) =>
      fetch(`${base}/api/v1/repos/${repo}/issues`, {
        method: 'POST',
        // What a browser sends for <form enctype="text/plain"> once it has cached the credentials.
        headers: {
          authorization: basicAuth(u.username, u.password),
          'content-type': 'text/plain',
          ...headers,
        },
        body: JSON.stringify({ title }),
      });

    const forged = await formPost(
      { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' },
      'forged',
    );
    expect(forged.status).toBe(403);
    expect(await forged.json()).toEqual({ message: expect.stringContaining('cross-site') });
    // Either header alone is enough (older browsers send no Sec-Fetch-Site).
    expect((await formPost({ origin: 'http://evil.example' }, 'forged-origin')).status).toBe(403);
    expect((await formPost({ 'sec-fetch-site': 'cross-site' }, 'forged-site')).status).toBe(403);
    const byToken = await fetch(`${base}/api/v1/repos/${repo}`, {
      method: 'DELETE',
      headers: { authorization: `token ${(await createToken(base, u)).sha1}`, origin: 'http://evil.example' },
    });
    expect(byToken.status).toBe(403);

    const issues = await call<{ title: string }[]>(base, 'GET', `/api/v1/repos/${repo}/issues?state=all`);
    expect(issues.body).toEqual([]);
    expect((await call(base, 'GET', `/api/v1/repos/${repo}`)).status).toBe(200);

    // The same request from a command-line client (no Origin) and from the site's own pages works.
    expect((await formPost({}, 'from-cli')).status).toBe(201);
    expect((await formPost({ origin: base, 'sec-fetch-site': 'same-origin' }, 'from-page')).status).toBe(201);
    const after = await call<{ title: string }[]>(base, 'GET', `/api/v1/repos/${repo}/issues?state=all`);
    expect(after.body.map((i) => i.title).sort()).toEqual(['from-cli', 'from-page']);
  });
});

describe('token scopes on pages', () => {
  test('a read:issue token does not see private repository names on /; read:repository does', async () => {
    const u = await signUp(base, 'scoped');
    const hidden = uniqueName('hidden');
    const shown = uniqueName('shown');
    await createRepo(base, asPassword(u), hidden, { private: true });
    await createRepo(base, asPassword(u), shown);
    const home = async (token: string) => {
      const res = await fetch(`${base}/`, { headers: { authorization: `token ${token}` } });
      expect(res.status).toBe(200);
      return res.text();
    };

    const issueOnly = await home((await createToken(base, u, { scopes: ['read:issue'] })).sha1);
    expect(issueOnly).toContain(`Signed in as`);
    expect(issueOnly).toContain(shown);
    expect(issueOnly).not.toContain(hidden);

    const repoScope = await home((await createToken(base, u, { scopes: ['read:repository'] })).sha1);
    expect(repoScope).toContain(shown);
    expect(repoScope).toContain(hidden);
  });

  test('the account page needs the user scope, the tokens page a password or session', async () => {
    const u = await signUp(base, 'scopedacct');
    const page = (path: string, token: string) =>
      fetch(`${base}${path}`, { headers: { authorization: `token ${token}` }, redirect: 'manual' });
    const issueToken = (await createToken(base, u, { scopes: ['read:issue'] })).sha1;
    const userToken = (await createToken(base, u, { scopes: ['read:user'] })).sha1;
    const named = await createToken(base, u, { name: uniqueName('visible-name') });

    const refused = await page('/settings', issueToken);
    expect(refused.status).not.toBe(200);
    expect(await refused.text()).not.toContain(u.email);
    const allowed = await page('/settings', userToken);
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain(u.email);

    const tokensByToken = await page('/settings/tokens', named.sha1);
    expect(await tokensByToken.text()).not.toContain(named.name);
    const tokensBySession = await fetch(`${base}/settings/tokens`, { headers: { cookie: u.cookie } });
    expect(await tokensBySession.text()).toContain(named.name);
  });

  test("a private repository's pages need repository scope; its settings page, write scope", async () => {
    const u = await signUp(base, 'scopedrepo');
    const name = uniqueName('private-pages');
    await createRepo(base, asPassword(u), name, { private: true });
    const status = async (path: string, scopes: string[]) => {
      const { sha1 } = await createToken(base, u, { scopes });
      const res = await fetch(`${base}/${u.username}/${name}${path}`, {
        headers: { authorization: `token ${sha1}` },
      });
      const text = await res.text();
      if (res.status === 200) expect(text).toContain(name);
      return res.status;
    };
    const pages = ['', '/issues', '/pulls', '/settings'];

    for (const path of pages) expect(await status(path, ['read:issue'])).toBe(404);
    for (const path of pages.slice(0, 3)) expect(await status(path, ['read:repository'])).toBe(200);
    expect(await status('/settings', ['read:repository'])).toBe(404);
    expect(await status('/settings', ['write:repository'])).toBe(200);
  });
});
