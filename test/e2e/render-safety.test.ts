// Hostile text and addresses on the real server: a comment whose link has a bad escape, a path
// with one, files named like Object's own keys, odd query strings and far pages each get a page
// or a clear 4xx, never a 500; page sizes and history walks stay bounded.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { authUrl, createRepo, createUser, type GitUser } from '../helpers/accounts';
import { git, makeRepo, removeDir } from '../helpers/git';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
let user: GitUser;
let src: string;
let repoPath: string;
let apiRepo: string;

beforeAll(async () => {
  user = await createUser(base, 'render');
  await createRepo(base, user, 'safe');
  repoPath = `/${user.username}/safe`;
  apiRepo = `${base}/api/v1/repos/${user.username}/safe`;
  src = makeRepo(60);
  for (const name of ['Dockerfile', 'constructor', '__proto__', 'x.toString']) {
    writeFileSync(join(src, name), `FROM ${name} <b>\n`);
  }
  git(src, ['add', '-A']);
  git(src, ['commit', '-q', '-m', 'odd names']);
  git(src, ['push', '-q', authUrl(base, user, user.username, 'safe'), 'HEAD:refs/heads/main']);
}, 120_000);

afterAll(() => {
  if (src) removeDir(src);
});

const auth = () => ({ Authorization: `token ${user.token}`, 'Content-Type': 'application/json' });

async function page(path: string): Promise<{ status: number; html: string }> {
  const res = await fetch(`${base}${path}`);
  return { status: res.status, html: await res.text() };
}

describe('hostile markdown', () => {
  test('an issue whose body and comment hold bad link escapes shows to everyone, escaped', async () => {
    const body = '[x](%) and [y](\\/a:99999) <script>alert("boom")</script> <a id="app" href="#top">z</a>';
    const created = await fetch(`${apiRepo}/issues`, {
      method: 'POST',
      headers: auth(),
      body: JSON.stringify({ title: 'hostile', body }),
    });
    expect(created.status).toBe(201);
    const { number } = (await created.json()) as { number: number };
    const comment = await fetch(`${apiRepo}/issues/${number}/comments`, {
      method: 'POST',
      headers: auth(),
      body: JSON.stringify({ body: '![i](%E0) [w](a%zz.md) <img src=x onerror=alert(1)>' }),
    });
    expect(comment.status).toBe(201);

    // Anonymous and signed-in viewers alike.
    const anonymous = await page(`${repoPath}/issues/${number}`);
    expect(anonymous.status).toBe(200);
    // Nowhere on the page as markup, not even in the data it carries for the browser.
    expect(anonymous.html).not.toContain('<script>alert(');
    // The rendered bodies (the page's data for the browser also holds them as JSON strings).
    const html = [...anonymous.html.matchAll(/<div class="rp-markdown is-markdown">(.*?)<\/div>/gs)]
      .map((m) => m[1])
      .join('\n');
    expect(html).toContain('<img');
    expect(html).toContain(`${repoPath}/blob/main/%25`);
    expect(html).toContain(`${repoPath}/blob/main/a%25zz.md`);
    expect(html).toContain('referrerpolicy="no-referrer"');
    expect(html).toContain('id="user-content-app"');
    expect(html).toContain('href="#user-content-top"');
    expect(html).not.toContain('alert("boom")');
    expect(html).not.toMatch(/onerror=/);
  });
});

describe('paths with bad escapes', () => {
  test('the content API answers 400 with a message; a good path still answers', async () => {
    for (const path of ['contents/%E0', 'contents/ok/%', 'raw/main/%E0', 'archive/%E0.zip']) {
      const res = await fetch(`${apiRepo}/${path}`);
      expect(res.status, path).toBe(400);
      const json = (await res.json()) as { message: string };
      expect(json.message, path).toContain('malformed percent-escape');
    }
    const ok = await fetch(`${apiRepo}/contents/Dockerfile`);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { name: string }).name).toBe('Dockerfile');
  });

  test('a page address with one answers a 400 page that says so', async () => {
    for (const path of [`${repoPath}/blob/main/%E0`, `${repoPath}/tree/%`, '/%E0']) {
      const res = await page(path);
      expect(res.status, path).toBe(400);
      expect(res.html, path).toContain('malformed percent-escape');
    }
    expect((await page(`${repoPath}/blob/main/Dockerfile`)).status).toBe(200);
  });

  test("files named like Object's own keys, and a Dockerfile, show as plain text", async () => {
    for (const name of ['Dockerfile', 'constructor', '__proto__', 'x.toString']) {
      const res = await page(`${repoPath}/blob/main/${encodeURIComponent(name)}`);
      expect(res.status, name).toBe(200);
      expect(res.html, name).toContain(`FROM ${name} &lt;b&gt;`);
    }
  });
});

describe('query strings and pages', () => {
  test('odd page numbers and states in page queries give the first page', async () => {
    for (const q of ['page=abc', 'page=%E0', 'page=-3', 'page=1e400', 'page=100000000']) {
      expect((await page(`${repoPath}/issues?${q}`)).status, q).toBe(200);
    }
    expect((await page(`${repoPath}/pulls?state=%7B%7D`)).status).toBe(200);
    expect((await page(`${repoPath}/commits/main?page=abc`)).status).toBe(200);
  });

  test('the API lists at most 50 items a page, whatever the limit asked', async () => {
    const many = await fetch(`${apiRepo}/commits?sha=main&limit=100`);
    expect(many.status).toBe(200);
    expect(((await many.json()) as unknown[]).length).toBe(50);
    const few = await fetch(`${apiRepo}/commits?sha=main&limit=7`);
    expect(((await few.json()) as unknown[]).length).toBe(7);
  });

  test('a commits page past the first 10,000 commits is refused instead of walking the history', async () => {
    const far = await fetch(`${apiRepo}/commits?sha=main&page=100000000`);
    expect(far.status).toBe(400);
    expect(((await far.json()) as { message: string }).message).toContain('10000 commits');
    // Skipping exactly 10,000 commits is the last page served (empty here: 61 commits).
    const last = await fetch(`${apiRepo}/commits?sha=main&page=201&limit=50`);
    expect(last.status).toBe(200);
    expect(await last.json()).toEqual([]);
    expect((await fetch(`${apiRepo}/commits?sha=main&page=202&limit=50`)).status).toBe(400);
    // Positive control: a real page.
    const second = await fetch(`${apiRepo}/commits?sha=main&page=2&limit=10`);
    expect(second.status).toBe(200);
    expect(((await second.json()) as unknown[]).length).toBe(10);
    // The page says so too, instead of walking.
    expect((await page(`${repoPath}/commits/main?page=100000000`)).status).toBe(404);
    expect((await page(`${repoPath}/commits/main?page=2`)).status).toBe(200);
  });
});
