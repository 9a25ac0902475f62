import { describe, expect, test } from 'vitest';
import { renderIssueMarkdown } from './issue-markdown';

// Issue 1 exists, 2 is a pull request, nothing else.
const rows = [
  { number: 1, is_pull: 0 },
  { number: 2, is_pull: 1 },
];
const db = {
  prepare: () => ({
    bind: (...args: unknown[]) => ({
      // The numbers asked for come as one JSON list (src/db/sql-list.ts).
      all: async () => ({
        results: rows.filter((r) => (JSON.parse(String(args[1])) as number[]).includes(r.number)),
      }),
    }),
  }),
} as unknown as D1Database;

const repo = { id: 7, owner: 'ann', name: 'demo', defaultBranch: 'main' };
const render = async (text: string) => (await renderIssueMarkdown(db, repo, [text]))[0];

describe('issue markdown', () => {
  test('links references to existing issues and pull requests only', async () => {
    const html = await render('See #1, #2 and #3.');
    expect(html).toContain('<a class="issue-ref" href="/ann/demo/issues/1">#1</a>');
    expect(html).toContain('<a class="issue-ref" href="/ann/demo/pull/2">#2</a>');
    expect(html).toContain('#3.');
    expect(html).not.toContain('/issues/3');
  });

  test('leaves code, links, words and entities alone', async () => {
    const html = await render("`#1` and\n\n    #1 code\n\n[#1](https://example.com) abc#1 it's (#1)");
    expect(html).toContain('<code>#1</code>');
    expect(html).toContain('<a href="https://example.com" rel="nofollow noopener">#1</a>');
    expect(html).toContain('abc#1');
    expect(html.match(/issue-ref/g)?.length).toBe(1);
    expect(html).toContain('(<a class="issue-ref" href="/ann/demo/issues/1">#1</a>)');
  });

  test('stays sanitized', async () => {
    const html = await render(
      '<script>alert(1)</script><img src=x onerror=alert(2)> #1 <a href="javascript:x">y</a>',
    );
    expect(html).not.toMatch(/<script|onerror|javascript:/);
    expect(html).toContain('href="/ann/demo/issues/1"');
  });
});
