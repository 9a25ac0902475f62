/**
 * Markdown to safe HTML: marked renders (GitHub-flavoured), sanitize-html keeps an allow-list of
 * tags and attributes (no scripts, no event handlers, no `javascript:` or `data:` links), and
 * relative links and images are resolved against the file's folder in the repository.
 */
import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

export interface MarkdownContext {
  /** `/{owner}/{repo}` */
  readonly repoBase: string;
  /** The ref the page shows, as it appears in URLs. */
  readonly ref: string;
  /** Folder of the markdown file ('' for the root). */
  readonly dir: string;
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** A link or image target inside the repository, or the URL unchanged when it is absolute. */
export function resolveRepoUrl(url: string, ctx: MarkdownContext, kind: 'blob' | 'raw'): string {
  if (url === '' || url.startsWith('#') || url.startsWith('//') || /^[a-z][a-z0-9+.-]*:/i.test(url))
    return url;
  const base = new URL(`http://repo/${ctx.dir === '' ? '' : `${ctx.dir}/`}`);
  const target = new URL(url.startsWith('/') ? `.${url}` : url, url.startsWith('/') ? 'http://repo/' : base);
  const path = decodeURIComponent(target.pathname.replace(/^\/+/, ''));
  return `${ctx.repoBase}/${kind}/${encodePath(ctx.ref)}/${encodePath(path)}${target.search}${target.hash}`;
}

export function renderMarkdown(text: string, ctx: MarkdownContext): string {
  const html = new Marked({ gfm: true, async: false }).parse(text) as string;
  return sanitizeHtml(html, {
    allowedTags: [
      ...sanitizeHtml.defaults.allowedTags,
      'img',
      'h1',
      'h2',
      'del',
      'ins',
      'sup',
      'sub',
      'details',
      'summary',
      'input',
    ],
    allowedAttributes: {
      a: ['href', 'name', 'title'],
      img: ['src', 'alt', 'title', 'width', 'height'],
      input: ['type', 'checked', 'disabled'],
      td: ['align'],
      th: ['align'],
      ol: ['start'],
      code: ['class'],
      '*': ['id'],
    },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https'] },
    allowProtocolRelative: false,
    transformTags: {
      a: (tag, attribs) => ({
        tagName: tag,
        attribs: attribs.href
          ? { ...attribs, href: resolveRepoUrl(attribs.href, ctx, 'blob'), rel: 'nofollow noopener' }
          : attribs,
      }),
      img: (tag, attribs) => ({
        tagName: tag,
        attribs: attribs.src ? { ...attribs, src: resolveRepoUrl(attribs.src, ctx, 'raw') } : attribs,
      }),
      // Task list checkboxes are display only.
      input: (tag, attribs) => ({
        tagName: tag,
        attribs: {
          type: 'checkbox',
          disabled: 'disabled',
          ...(attribs.checked !== undefined ? { checked: 'checked' } : {}),
        },
      }),
    },
    exclusiveFilter: (frame) => frame.tag === 'input' && frame.attribs.type !== 'checkbox',
  });
}
