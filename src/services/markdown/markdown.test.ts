import { describe, expect, it } from 'vitest';
import { renderMarkdown, resolveRepoUrl } from './markdown';

const ctx = { repoBase: '/u/r', ref: 'main', dir: 'docs' };

describe('markdown', () => {
  it('renders and strips scripts, handlers and javascript: links', () => {
    const html = renderMarkdown(
      '# T\n\n<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n[x](javascript:alert(3)) [y](guide.md) ![i](../img/a.png)\n\n<a href="JaVaScRiPt:alert(4)">z</a>',
      ctx,
    );
    expect(html).toContain('<h1 id="user-content-t">T</h1>');
    expect(html).not.toMatch(/<script|onerror|javascript:/i);
    expect(html).toContain('href="/u/r/blob/main/docs/guide.md"');
    expect(html).toContain('src="/u/r/raw/main/img/a.png"');
  });

  it('resolves repository-relative URLs and keeps absolute ones', () => {
    expect(resolveRepoUrl('/src/a b.c#L3', ctx, 'blob')).toBe('/u/r/blob/main/src/a%20b.c#L3');
    expect(resolveRepoUrl('https://example.com/x', ctx, 'blob')).toBe('https://example.com/x');
    expect(resolveRepoUrl('#anchor', ctx, 'blob')).toBe('#anchor');
  });

  it('keeps malformed escapes and unparsable URLs as written instead of failing', () => {
    expect(resolveRepoUrl('%', ctx, 'blob')).toBe('/u/r/blob/main/docs/%25');
    expect(resolveRepoUrl('a%E0b.md', ctx, 'blob')).toBe('/u/r/blob/main/docs/a%25E0b.md');
    expect(resolveRepoUrl('\\/a:99999', ctx, 'raw')).toBe('/u/r/raw/main/%5C/a%3A99999');
    expect(renderMarkdown('[x](%) ![y](%zz)', ctx)).toContain('href="/u/r/blob/main/docs/%25"');
  });

  it('prefixes ids and names with user-content- and points in-document links at them', () => {
    const html = renderMarkdown(
      '# Getting Started!\n\n## Getting Started!\n\n<a name="top" id="x" href="#getting-started">go</a> [up](#top)',
      ctx,
    );
    expect(html).toContain('<h1 id="user-content-getting-started">');
    expect(html).toContain('<h2 id="user-content-getting-started-1">');
    expect(html).toContain('name="user-content-top"');
    expect(html).toContain('id="user-content-x"');
    expect(html).toContain('href="#user-content-getting-started"');
    expect(html).toContain('href="#user-content-top"');
    expect(html).not.toMatch(/\s(id|name)="(?!user-content-)/);
  });

  it('loads images lazily without a referrer, whatever the markdown asked', () => {
    const html = renderMarkdown(
      '![a](https://images.example/a.png) <img src="https://images.example/b.png" referrerpolicy="unsafe-url" loading="eager">',
      ctx,
    );
    const imgs = html.match(/<img [^>]*>/g) ?? [];
    expect(imgs).toHaveLength(2);
    for (const img of imgs) {
      expect(img).toContain('referrerpolicy="no-referrer"');
      expect(img).toContain('loading="lazy"');
      expect(img).not.toMatch(/unsafe-url|eager/);
    }
  });

  it('keeps only language classes on code', () => {
    const html = renderMarkdown('```ts\nx\n```\n\n<code class="rp-button language-js">y</code>', ctx);
    expect(html).toContain('<code class="language-ts">');
    expect(html).toContain('<code class="language-js">');
    expect(html).not.toContain('rp-button');
  });
});
