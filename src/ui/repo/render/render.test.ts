import { describe, expect, it } from 'vitest';
import { highlightLines, splitHighlightedLines } from './highlight';
import { renderMarkdown, resolveRepoUrl } from './markdown';

const ctx = { repoBase: '/u/r', ref: 'main', dir: 'docs' };

describe('markdown', () => {
  it('renders and strips scripts, handlers and javascript: links', () => {
    const html = renderMarkdown(
      '# T\n\n<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n[x](javascript:alert(3)) [y](guide.md) ![i](../img/a.png)\n\n<a href="JaVaScRiPt:alert(4)">z</a>',
      ctx,
    );
    expect(html).toContain('<h1>T</h1>');
    expect(html).not.toMatch(/<script|onerror|javascript:/i);
    expect(html).toContain('href="/u/r/blob/main/docs/guide.md"');
    expect(html).toContain('src="/u/r/raw/main/img/a.png"');
  });

  it('resolves repository-relative URLs and keeps absolute ones', () => {
    expect(resolveRepoUrl('/src/a b.c#L3', ctx, 'blob')).toBe('/u/r/blob/main/src/a%20b.c#L3');
    expect(resolveRepoUrl('https://example.com/x', ctx, 'blob')).toBe('https://example.com/x');
    expect(resolveRepoUrl('#anchor', ctx, 'blob')).toBe('#anchor');
  });
});

describe('highlighting', () => {
  it('keeps spans balanced per line', () => {
    expect(splitHighlightedLines('<span class="a">x\ny</span>\nz')).toEqual([
      '<span class="a">x</span>',
      '<span class="a">y</span>',
      'z',
    ]);
  });

  it('highlights known languages and escapes the rest', () => {
    const ts = highlightLines('const a = "<b>";\n/* one\ntwo */\n', 'x.ts');
    expect(ts.language).toBe('typescript');
    expect(ts.lines).toHaveLength(3);
    expect(ts.lines[0]).toContain('hljs-keyword');
    expect(ts.lines[0]).toContain('&lt;b&gt;');
    const plain = highlightLines('<script>x</script>', 'file.unknownext');
    expect(plain.lines).toEqual(['&lt;script&gt;x&lt;/script&gt;']);
  });
});
