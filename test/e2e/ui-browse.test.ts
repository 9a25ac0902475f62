// The repository pages in a real browser against the real server: a small repository pushed with
// git, then its home, tree, file, blame, history, commit, compare, branch and tag pages, the raw
// and archive downloads, the content API, XSS payloads shown as text, and private repositories.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { authUrl, createRepo, createUser, type GitUser } from '../helpers/accounts';
import { launchChromium } from '../helpers/browser';
import { git } from '../helpers/git';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
const work = mkdtempSync(join(tmpdir(), 'gitflare-ui-'));
const src = join(work, 'src');
const shots = join(process.cwd(), 'test-results');
const EVIL_NAME = '<img src=x onerror=alert(1)>.txt';
const EVIL_MSG = "Evil <script>alert('msg')</script> message";

let user: GitUser;
let browser: Browser;
let page: Page;
const dialogs: string[] = [];
const pageErrors: string[] = [];
const consoleErrors: string[] = [];
const sha: Record<string, string> = {};
let pushed = false;

function write(path: string, content: string | Uint8Array): void {
  mkdirSync(join(src, path, '..'), { recursive: true });
  writeFileSync(join(src, path), content);
}

function commit(message: string): string {
  git(src, ['add', '-A']);
  git(src, ['commit', '-q', '-m', message]);
  return git(src, ['rev-parse', 'HEAD']).trim();
}

// A 1x1 PNG.
const PNG = Uint8Array.from(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  ),
);

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  git(work, ['init', '-q', '-b', 'main', src]);
  write(
    'README.md',
    '# Hello Gitflare\n\nSee [the guide](docs/guide.md).\n\n<script>window.__xss = 1</script>\n\n<img src="x" onerror="window.__xss = 2">\n\n[click](javascript:window.__xss=3)\n\n![logo](img/logo.png)\n',
  );
  // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source text, not a template
  write('src/main.ts', 'export function greet(name: string): string {\n  return `hello ${name}`;\n}\n');
  write('docs/guide.md', '## Guide\n\nText.\n');
  write('img/logo.png', PNG);
  write('data.bin', new Uint8Array([0, 1, 2, 3, 0, 255]));
  write('evil.html', '<html><body><script>alert("raw html")</script></body></html>\n');
  write('evil.svg', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert("raw svg")</script></svg>\n');
  write(EVIL_NAME, 'evil name\n');
  // Over the inline display limit: the page must link to the download instead of embedding it.
  write('big.txt', 'all work and no play\n'.repeat(80_000));
  sha.first = commit('Initial commit');
  write(
    'src/main.ts',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source text, not a template
    'export function greet(name: string): string {\n  return `hello, ${name}!`;\n}\n\nexport const answer = 42;\n',
  );
  git(src, ['mv', 'docs/guide.md', 'docs/manual.md']);
  sha.second = commit(EVIL_MSG);
  git(src, ['tag', '-a', '-m', 'first release', 'v1.0']);
  git(src, ['checkout', '-q', '-b', 'feature/deep']);
  write('src/feature.ts', 'export const feature = true;\n');
  sha.feature = commit('Add feature flag');
  git(src, ['checkout', '-q', 'main']);

  user = await createUser(base, 'browse');
  await createRepo(base, user, 'demo');
  const patched = await fetch(`${base}/api/v1/repos/${user.username}/demo`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', authorization: `token ${user.token}` },
    body: JSON.stringify({ description: 'A demo repository' }),
  });
  expect(patched.status).toBe(200);
  try {
    git(src, [
      'push',
      '-q',
      authUrl(base, user, user.username, 'demo'),
      'refs/heads/*:refs/heads/*',
      'refs/tags/*:refs/tags/*',
    ]);
    pushed = true;
  } catch (e) {
    console.error('git push failed; page tests that need content will fail', e);
  }
  browser = await launchChromium();
  page = await browser.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

const repoUrl = () => `${base}/${user.username}/demo`;

async function visit(path: string, shot?: string): Promise<number> {
  const res = await page.goto(`${repoUrl()}${path}`, { waitUntil: 'networkidle' });
  // caret 'initial': hiding the caret injects a style, which, taken before hydration finishes,
  // is a hydration mismatch the script-error test then reports.
  if (shot)
    await page.screenshot({ path: join(shots, `ui-browse-${shot}.png`), fullPage: true, caret: 'initial' });
  return res?.status() ?? 0;
}

async function xssFired(): Promise<unknown> {
  return page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss);
}

describe('repository pages', () => {
  test('the push went through', () => {
    expect(pushed).toBe(true);
  });

  test('home shows files, last commits, clone URL and the README rendered safely', async () => {
    expect(await visit('', 'home')).toBe(200);
    const table = page.getByTestId('file-table');
    for (const name of ['src', 'docs', 'img', 'README.md', 'data.bin', EVIL_NAME])
      await expect(table.getByText(name, { exact: true }).count()).resolves.toBeGreaterThan(0);
    await expect(table.textContent()).resolves.toContain('Evil <script>');
    await expect(page.getByTestId('clone-url').inputValue()).resolves.toBe(
      `${base}/${user.username}/demo.git`,
    );
    const readme = page.getByTestId('readme');
    await expect(readme.locator('h1').textContent()).resolves.toBe('Hello Gitflare');
    await expect(readme.locator('script').count()).resolves.toBe(0);
    await expect(readme.locator('[onerror]').count()).resolves.toBe(0);
    await expect(readme.locator('a[href^="javascript:"]').count()).resolves.toBe(0);
    await expect(readme.locator('img[src$="/raw/main/img/logo.png"]').count()).resolves.toBe(1);
    await expect(page.textContent('body')).resolves.toContain('A demo repository');
    expect(await xssFired()).toBeUndefined();
  });

  test('a branch whose name has a slash resolves in tree URLs', async () => {
    expect(await visit('/tree/feature/deep/src', 'tree')).toBe(200);
    await expect(page.getByTestId('file-table').textContent()).resolves.toContain('feature.ts');
    await expect(page.getByTestId('ref-switcher').textContent()).resolves.toContain('feature/deep');
  });

  test('a file is highlighted with line anchors', async () => {
    expect(await visit('/blob/main/src/main.ts#L5', 'blob')).toBe(200);
    await expect(page.locator('#L5').textContent()).resolves.toContain('answer = 42');
    await expect(page.locator('.hljs-keyword').first().textContent()).resolves.toBe('export');
    await expect(page.locator('a[href="#L2"]').count()).resolves.toBe(1);
  });

  test('markdown files render, images show, binaries are detected', async () => {
    await visit('/blob/main/docs/manual.md');
    await expect(page.getByTestId('markdown').locator('h2').textContent()).resolves.toBe('Guide');
    await visit('/blob/main/img/logo.png');
    await expect(page.locator('.rp-image img').getAttribute('src')).resolves.toContain(
      '/raw/main/img/logo.png',
    );
    await visit('/blob/main/data.bin');
    await expect(page.getByTestId('binary').count()).resolves.toBe(1);
  });

  test('history lists commits with messages as text, paginated', async () => {
    expect(await visit('/commits/main', 'commits')).toBe(200);
    const list = page.getByTestId('commit-list');
    await expect(list.textContent()).resolves.toContain(EVIL_MSG);
    await expect(list.textContent()).resolves.toContain('Initial commit');
    await visit('/commits/main/docs/manual.md');
    await expect(page.getByTestId('commit-list').locator('li').count()).resolves.toBe(1);
    expect(dialogs).toEqual([]);
  });

  test('a commit shows its message, diff lines, counts and the rename', async () => {
    expect(await visit(`/commit/${sha.second}`, 'commit')).toBe(200);
    await expect(page.getByTestId('commit-title').textContent()).resolves.toBe(EVIL_MSG);
    const diff = page.getByTestId('diff');
    await expect(
      diff.locator('.rp-line-add').filter({ hasText: 'export const answer = 42;' }).count(),
    ).resolves.toBe(1);
    await expect(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source text, not a template
      diff.locator('.rp-line-del').filter({ hasText: 'return `hello ${name}`;' }).count(),
    ).resolves.toBe(1);
    await expect(diff.textContent()).resolves.toContain('docs/guide.md → docs/manual.md');
    await expect(diff.textContent()).resolves.toMatch(/\+3\s*−1/);
    expect(dialogs).toEqual([]);
  });

  test('compare lists the commits and changes of head', async () => {
    expect(await visit('/compare/main...feature/deep', 'compare')).toBe(200);
    await expect(page.getByTestId('commit-list').textContent()).resolves.toContain('Add feature flag');
    await expect(page.getByTestId('diff').textContent()).resolves.toContain('src/feature.ts');
  });

  test('blame attributes lines to commits', async () => {
    expect(await visit('/blame/main/src/main.ts', 'blame')).toBe(200);
    const text = await page.getByTestId('blame').textContent();
    expect(text).toContain(sha.first.slice(0, 7));
    expect(text).toContain(sha.second.slice(0, 7));
  });

  test('branches and tags are listed', async () => {
    await visit('/branches', 'branches');
    await expect(page.getByTestId('branch-list').textContent()).resolves.toContain('feature/deep');
    await visit('/tags');
    await expect(page.getByTestId('tag-list').textContent()).resolves.toContain('v1.0');
  });

  test('unknown refs and paths are 404 pages; /commits without a ref uses the default branch', async () => {
    expect(await visit('/blob/main/no/such/file.txt')).toBe(404);
    expect(await visit('/tree/no-such-branch')).toBe(404);
    expect(await visit('/commit/0123456789abcdef0123456789abcdef01234567')).toBe(404);
    expect((await fetch(`${base}/${user.username}/no-such-repo`)).status).toBe(404);
    expect(await visit('.git')).toBe(200);
    expect(page.url()).toBe(repoUrl());
    expect(await visit('/commits')).toBe(200);
    await expect(page.getByTestId('commit-list').textContent()).resolves.toContain('Initial commit');
  });

  test('a large file is not embedded in the page', async () => {
    const res = await fetch(`${repoUrl()}/blob/main/big.txt`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('too large to display');
    expect(html.length).toBeLessThan(200_000);
  });

  test('dark scheme and a phone-sized screen', async () => {
    const ctx = await browser.newContext({ colorScheme: 'dark', viewport: { width: 390, height: 800 } });
    const p = await ctx.newPage();
    await p.goto(`${repoUrl()}/blob/main/src/main.ts`, { waitUntil: 'networkidle' });
    await p.screenshot({ path: join(shots, 'ui-browse-dark-mobile.png'), fullPage: true, caret: 'initial' });
    const bg = await p.evaluate(() => getComputedStyle(document.querySelector('.rp-code') as Element).color);
    expect(bg).not.toBe('rgb(31, 35, 40)');
    await ctx.close();
  });

  test('an empty repository shows how to push', async () => {
    await createRepo(base, user, 'empty');
    const res = await page.goto(`${base}/${user.username}/empty`);
    expect(res?.status()).toBe(200);
    await expect(page.getByTestId('empty-repo').textContent()).resolves.toContain(
      `${user.username}/empty.git`,
    );
  });

  test('pages hydrate without script errors', async () => {
    // Its own page and listeners, visiting every kind of page itself: the result does not depend
    // on which other tests ran before. Hydration mismatches and crashes surface here; failed image
    // loads of the XSS payload do not.
    const p = await browser.newPage();
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(String(e)));
    p.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(m.text());
    });
    p.on('dialog', (d) => void d.dismiss());
    const paths = [
      '',
      '/tree/feature/deep/src',
      '/blob/main/src/main.ts#L5',
      '/blob/main/docs/manual.md',
      '/blob/main/img/logo.png',
      '/commits/main',
      `/commit/${sha.second}`,
      '/compare/main...feature/deep',
      '/blame/main/src/main.ts',
      '/branches',
      '/tags',
    ];
    for (const path of paths) {
      const res = await p.goto(`${repoUrl()}${path}`, { waitUntil: 'networkidle' });
      expect([path, res?.status()]).toEqual([path, 200]);
    }
    await p.close();
    expect(errors).toEqual([]);
    // And nothing went wrong on the pages the other tests visited, when they ran.
    expect(pageErrors).toEqual([]);
    expect(consoleErrors.filter((m) => !/Failed to load resource/.test(m))).toEqual([]);
  });

  test('pages work without JavaScript', async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const p = await ctx.newPage();
    await p.goto(`${repoUrl()}/blob/main/src/main.ts`);
    await expect(p.locator('#L1').textContent()).resolves.toContain('greet');
    // Shown, not only present: React's streamed parts can sit in a hidden element a script reveals.
    await expect(p.locator('#L1').isVisible()).resolves.toBe(true);
    await ctx.close();
  });
});

describe('downloads', () => {
  test('raw html and svg cannot run script', async () => {
    for (const f of ['evil.html', 'evil.svg']) {
      const res = await fetch(`${repoUrl()}/raw/main/${f}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(res.headers.get('content-security-policy')).toMatch(/sandbox/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      await page.goto(`${repoUrl()}/raw/main/${f}`);
    }
    expect(dialogs).toEqual([]);
    const png = await fetch(`${repoUrl()}/raw/main/img/logo.png`);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await png.arrayBuffer())).toEqual(PNG);
  });

  test('archives are valid zip and tar.gz', async () => {
    const zip = await fetch(`${repoUrl()}/archive/v1.0.zip`);
    expect(zip.status).toBe(200);
    writeFileSync(join(work, 'a.zip'), new Uint8Array(await zip.arrayBuffer()));
    expect(execFileSync('unzip', ['-l', join(work, 'a.zip')], { encoding: 'utf8' })).toContain(
      'demo-v1.0/src/main.ts',
    );
    const tgz = await fetch(`${repoUrl()}/archive/feature/deep.tar.gz`);
    expect(tgz.status).toBe(200);
    writeFileSync(join(work, 'a.tgz'), new Uint8Array(await tgz.arrayBuffer()));
    expect(execFileSync('tar', ['-tzf', join(work, 'a.tgz')], { encoding: 'utf8' })).toContain(
      'src/feature.ts',
    );
  });
});

describe('content API', () => {
  const api = () => `${base}/api/v1/repos/${user.username}/demo`;

  test('branches, tags, commits, contents and raw', async () => {
    const branches = (await (await fetch(`${api()}/branches`)).json()) as { name: string }[];
    expect(branches.map((b) => b.name).sort()).toEqual(['feature/deep', 'main']);
    const tags = (await (await fetch(`${api()}/tags`)).json()) as { name: string }[];
    expect(tags.map((t) => t.name)).toEqual(['v1.0']);
    const commits = await fetch(`${api()}/commits?sha=main&limit=1&page=2`);
    expect(((await commits.json()) as { sha: string }[]).map((c) => c.sha)).toEqual([sha.first]);
    const dir = (await (await fetch(`${api()}/contents/src?ref=feature/deep`)).json()) as {
      name: string;
      type: string;
    }[];
    expect(dir.map((e) => e.name)).toEqual(['feature.ts', 'main.ts']);
    const file = (await (await fetch(`${api()}/contents/src/main.ts`)).json()) as {
      content: string;
      encoding: string;
    };
    expect(Buffer.from(file.content, 'base64').toString()).toContain('answer = 42');
    const raw = await fetch(`${api()}/raw/src/main.ts?ref=${sha.first}`);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source text, not a template
    expect(await raw.text()).toContain('hello ${name}');
    expect((await fetch(`${api()}/contents/nope?ref=main`)).status).toBe(404);
  });
});

describe('private repositories', () => {
  test('are 404 to people who cannot read them, pages and downloads alike', async () => {
    await createRepo(base, user, 'secret', { private: true });
    git(src, ['push', '-q', authUrl(base, user, user.username, 'secret'), 'main']);
    const anon = await fetch(`${base}/${user.username}/secret`);
    expect(anon.status).toBe(404);
    for (const path of ['/blob/main/README.md', '/commits/main', '/branches']) {
      expect((await fetch(`${base}/${user.username}/secret${path}`)).status).toBe(404);
    }
    expect((await fetch(`${base}/${user.username}/secret/raw/main/README.md`)).status).toBe(404);
    expect((await fetch(`${base}/${user.username}/secret/archive/main.zip`)).status).toBe(404);
    expect((await fetch(`${base}/api/v1/repos/${user.username}/secret/branches`)).status).toBe(404);
    const owner = await fetch(`${base}/${user.username}/secret`, {
      headers: { authorization: `token ${user.token}` },
    });
    expect(owner.status).toBe(200);
    expect(
      (
        await fetch(`${base}/api/v1/repos/${user.username}/secret/branches`, {
          headers: { authorization: `token ${user.token}` },
        })
      ).status,
    ).toBe(200);
  });
});
