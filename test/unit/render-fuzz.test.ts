// The renderers against random and hostile input: markdown (pages and issue bodies), path
// decoding, syntax highlighting and line diffs never throw, and what they emit never carries a
// script, an event handler, a script URL or an id a page script could look up. Seeded: every
// failure reproduces from its seed.
import { describe, expect, test } from 'vitest';
import { lineDiff } from '../../src/git/browse/line-diff';
import { decodePath, safeDecode } from '../../src/services/decode-path';
import { renderIssueMarkdown } from '../../src/services/markdown/issue-markdown';
import { renderMarkdown, resolveRepoUrl } from '../../src/services/markdown/markdown';
import { highlightLines, splitHighlightedLines } from '../../src/ui/repo/render/highlight';
import { type Rng, rng } from '../helpers/prng';

const ctx = { repoBase: '/u/r', ref: 'main', dir: 'docs' };

const PIECES = [
  '[x](%)',
  '[x](%E0)',
  '[x](a%zz.md)',
  '[x](\\/a:99999)',
  '![i](%)',
  '![i](//evil.example/i.png)',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)>',
  '<iframe src="https://evil.example"></iframe>',
  '<details open ontoggle=alert(1)>',
  '<style>body{display:none}</style>',
  '<form action="/x"><input name="csrf" value="1"></form>',
  '<a id="app" name="config" href="#top">clobber</a>',
  '<div id="user-content-x" class="rp-button">',
  '[a](javascript:alert(1))',
  '[a](JaVaScRiPt:alert(1))',
  '[a]( javascript:alert(1))',
  '[a](java\tscript:alert(1))',
  '<a href="&#106;avascript:alert(1)">e</a>',
  '<a href="vbscript:msgbox(1)">v</a>',
  '[a](data:text/html,<script>alert(1)</script>)',
  '![d](data:image/svg+xml,<svg onload=alert(1)>)',
  '<javascript:alert(1)>',
  '[r]: javascript:alert(1)\n\n[r]',
  '[[[[',
  ']]]]((((',
  '[a](<b>)',
  '[a]([b](c))',
  '![a](![b](c))',
  '# Heading',
  '## Heading',
  '#1',
  '`code`',
  '```js\nconst a = "<b>";\n```',
  '***',
  '_*_*',
  '> quote',
  '>>>>>>> deep',
  '- [x] task',
  '1. item',
  '| a | b |\n|---|---|\n| <b> | & |',
  '<!-- comment',
  '-->',
  '&amp; &#0; &#x110000; &bogus;',
  '\u0000',
  '\u202e',
  '\ud800',
  'www.example.com',
  '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
  '<a href="#user-content-x">twice</a>',
  '\\',
  '%',
  '\n',
  '  ',
];

function hostileMarkdown(r: Rng): string {
  const parts: string[] = [];
  const n = 1 + r.int(30);
  for (let i = 0; i < n; i++) {
    switch (r.int(4)) {
      case 0:
        parts.push(String.fromCharCode(...Array.from({ length: 1 + r.int(20) }, () => r.int(0x3000))));
        break;
      case 1:
        parts.push(r.pick(PIECES).repeat(1 + r.int(5)));
        break;
      default:
        parts.push(r.pick(PIECES));
    }
    parts.push(r.pick(['', ' ', '\n', '\n\n']));
  }
  return parts.join('');
}

/** What rendered markdown must never contain, whatever went in. */
function expectSafe(html: string, input: string): void {
  const what = JSON.stringify(input.slice(0, 300));
  // Text keeps no `<` unescaped, so every `<name` is a tag: the checks look at tags only.
  const tags = [...html.matchAll(/<[a-z][^>]*>/gi)].map((m) => m[0]);
  for (const tag of tags) {
    expect(tag, what).not.toMatch(/^<(script|iframe|style|form|svg|math|object|embed)\b/i);
    expect(tag, what).not.toMatch(/\son[a-z]+\s*=/i);
    expect(tag, what).not.toMatch(/\s(href|src)="\s*(javascript|vbscript|data):/i);
    for (const m of tag.matchAll(/\s(id|name)="([^"]*)"/g)) expect(m[2], what).toMatch(/^user-content-/);
    if (tag.startsWith('<img')) expect(tag, what).toContain('referrerpolicy="no-referrer"');
  }
}

const fakeDb = {
  prepare: () => ({ bind: () => ({ all: async () => ({ results: [{ number: 1, is_pull: 0 }] }) }) }),
} as unknown as D1Database;
const issueRepo = { id: 1, owner: 'u', name: 'r', defaultBranch: 'main' };

describe('markdown', () => {
  test('every hostile piece alone renders safely', async () => {
    for (const piece of PIECES) {
      expectSafe(renderMarkdown(piece, ctx), piece);
      const [html] = await renderIssueMarkdown(fakeDb, issueRepo, [piece]);
      expectSafe(html, piece);
    }
  });

  test('random hostile documents never throw and render safely', async () => {
    for (let seed = 1; seed <= 400; seed++) {
      const text = hostileMarkdown(rng(seed));
      let html = '';
      expect(() => {
        html = renderMarkdown(text, ctx);
      }, `seed ${seed}`).not.toThrow();
      expectSafe(html, text);
      if (seed % 4 === 0) expectSafe((await renderIssueMarkdown(fakeDb, issueRepo, [text]))[0], text);
    }
  });

  test('huge and deeply nested documents come back escaped or rendered, never an error', () => {
    const huge = [
      '>'.repeat(65_000),
      Array.from({ length: 3_000 }, (_, i) => `${' '.repeat(i * 2)}- x`).join('\n'),
      '*a'.repeat(32_000),
      '['.repeat(65_000),
      '[x]('.repeat(16_000),
      '<a '.repeat(20_000),
      `${'x'.repeat(600 * 1024)}<script>alert(1)</script>`,
    ];
    for (const text of huge) {
      const html = renderMarkdown(text, ctx);
      expectSafe(html, text);
      expect(html.length).toBeGreaterThan(0);
    }
    // A deep document is shown as its text, escaped.
    expect(renderMarkdown(`${'>'.repeat(200)} <b>`, ctx)).toContain('&gt;&gt;&gt; &lt;b&gt;');
    // Positive control: a document within the bounds is rendered.
    expect(renderMarkdown('> > quote *em*', ctx)).toContain('<blockquote>');
  });

  test('link targets of random characters resolve without throwing', () => {
    const r = rng(7);
    const alphabet = ['%', 'E', '0', 'z', '/', '\\', ':', '9', '.', '#', '?', '[', ']', '@', ' ', '\u00e9'];
    for (let i = 0; i < 2_000; i++) {
      const url = Array.from({ length: 1 + r.int(12) }, () => r.pick(alphabet)).join('');
      const out = resolveRepoUrl(url, ctx, r.pick(['blob', 'raw'] as const));
      expect(out.startsWith('/u/r/') || out === url, url).toBe(true);
    }
  });
});

describe('path decoding', () => {
  test('bad escapes are null, good ones decode, nothing throws', () => {
    expect(safeDecode('%E0')).toBeNull();
    expect(safeDecode('%')).toBeNull();
    expect(safeDecode('a%20b')).toBe('a b');
    expect(decodePath('a%2Fb/c%20d')).toBe('a/b/c d');
    expect(decodePath('ok/%E0/x')).toBeNull();
    const r = rng(11);
    for (let i = 0; i < 5_000; i++) {
      const s = Array.from({ length: r.int(10) }, () =>
        r.pick(['%', 'E0', '2F', 'zz', 'a', '/', 'C3', 'A9']),
      ).join('');
      const d = decodePath(s);
      if (d !== null) expect(d).toBe(s.split('/').map(decodeURIComponent).join('/'));
    }
  });
});

describe('highlighting', () => {
  const PATHS = [
    'a.ts',
    'a.js',
    'a.py',
    'a.md',
    'a.html',
    'a.svg',
    'a.json',
    'a.c',
    'a.rs',
    'a.yml',
    'a.sh',
    'Makefile',
    'Dockerfile',
    'constructor',
    '__proto__',
    'x.constructor',
    'x.__proto__',
    'x.toString',
    'x.valueOf',
    'x.hasOwnProperty',
    'x.',
    '.x',
    'x.unknownlang',
    '',
  ];
  const SNIPPETS = [
    '<script>',
    '</span>',
    '"',
    "'",
    '`',
    '/*',
    '*/',
    '<!--',
    '${',
    '\\',
    '\u0000',
    '\r',
    '\n',
    '<b>',
  ];

  test('random text in every language is escaped, one balanced line per line', () => {
    const r = rng(3);
    for (let i = 0; i < 600; i++) {
      const text = Array.from({ length: r.int(40) }, () => r.pick(SNIPPETS)).join('');
      const path = r.pick(PATHS);
      const { lines } = highlightLines(text, path);
      const body = text.endsWith('\n') ? text.slice(0, -1) : text;
      expect(lines.length, `${path} ${JSON.stringify(text)}`).toBe(body === '' ? 0 : body.split('\n').length);
      for (const line of lines) {
        const markup = line.replace(/<span class="[a-z0-9_ -]*">|<\/span>/g, '');
        expect(markup, `${path} ${JSON.stringify(text)}`).not.toMatch(/[<>]/);
        expect(line.split('<span').length).toBe(line.split('</span>').length);
      }
    }
    expect(splitHighlightedLines('')).toEqual([]);
  });
});

describe('line diffs', () => {
  test('odd texts diff without throwing and count what they show', () => {
    const r = rng(5);
    const LINES = [
      'a',
      '',
      ' ',
      '\r',
      'a\r',
      '+x',
      '-x',
      '\\ No newline at end of file',
      '@@ -1 +1 @@',
      '\u0000',
    ];
    for (let i = 0; i < 400; i++) {
      const make = () =>
        Array.from({ length: r.int(30) }, () => r.pick(LINES)).join(r.pick(['\n', '\r\n', '\r']));
      const a = make();
      const b = make();
      const d = lineDiff(a, b, 1 + r.int(50));
      expect(d).not.toBeNull();
      if (d === null) continue;
      const shown = d.hunks.flatMap((h) => h.lines);
      if (!d.truncated) {
        expect(shown.filter((l) => l.kind === 'add')).toHaveLength(d.additions);
        expect(shown.filter((l) => l.kind === 'del')).toHaveLength(d.deletions);
      }
    }
  });
});
