/**
 * Markdown to safe HTML: marked renders (GitHub-flavoured), sanitize-html keeps an allow-list of
 * tags and attributes (no scripts, no event handlers, no `javascript:` or `data:` links), and
 * relative links and images are resolved against the file's folder in the repository.
 *
 * As on GitHub: headings get anchors; every `id` and `name` is prefixed with `user-content-`, so
 * that a document cannot define ids the page's own scripts or forms look up (DOM clobbering);
 * in-document links `#foo` are rewritten to `#user-content-foo` to keep reaching them. Images
 * load lazily and without a referrer, so an external image's host learns less about who views it
 * (it still sees the viewer's address: no image proxy is built).
 *
 * Rendering never throws: bad escapes in links are kept as written, and should the markdown
 * library itself fail on some input, the text is shown escaped.
 */
import { Marked, type Tokens } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { safeDecode } from '../decode-path';
import { escapeHtml } from './escape-html';

export interface MarkdownContext {
  /** `/{owner}/{repo}` */
  readonly repoBase: string;
  /** The ref the page shows, as it appears in URLs. */
  readonly ref: string;
  /** Folder of the markdown file ('' for the root). */
  readonly dir: string;
}

export const ID_PREFIX = 'user-content-';

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** A link or image target inside the repository, or the URL unchanged when it is absolute. */
export function resolveRepoUrl(url: string, ctx: MarkdownContext, kind: 'blob' | 'raw'): string {
  if (url === '' || url.startsWith('#') || url.startsWith('//') || /^[a-z][a-z0-9+.-]*:/i.test(url))
    return url;
  const target = parseRelative(url, ctx.dir);
  const at = `${ctx.repoBase}/${kind}/${encodePath(ctx.ref)}/`;
  // What no URL parser accepts (`\/a:99999` reads as a host with a bad port) names a file as written.
  if (target === null) return at + encodePath(url);
  const encoded = target.pathname.replace(/^\/+/, '');
  // A malformed escape (`[x](%)`) names the file as written, `%` and all.
  const path = safeDecode(encoded) ?? encoded;
  return `${at}${encodePath(path)}${target.search}${target.hash}`;
}

function parseRelative(url: string, dir: string): URL | null {
  const base = url.startsWith('/') ? 'http://repo/' : `http://repo/${dir === '' ? '' : `${dir}/`}`;
  try {
    return new URL(url.startsWith('/') ? `.${url}` : url, base);
  } catch (e) {
    if (e instanceof TypeError) return null;
    throw e;
  }
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as dashes. */
export function headingSlug(text: string): string {
  return text
    .toLowerCase()
    .trim()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };

/** The text of rendered inline HTML (tags dropped, marked's entities decoded). */
function textOf(html: string): string {
  return html.replace(/<[^>]*>/g, '').replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ENTITIES[e]);
}

function parser(): Marked {
  const used = new Map<string, number>();
  return new Marked({
    gfm: true,
    async: false,
    renderer: {
      heading({ tokens, depth }: Tokens.Heading): string {
        const inner = this.parser.parseInline(tokens);
        let slug = headingSlug(textOf(inner));
        const seen = used.get(slug) ?? 0;
        used.set(slug, seen + 1);
        if (seen > 0) slug = `${slug}-${seen}`;
        // The id is prefixed with the others' by the sanitizer below.
        return `<h${depth} id="${escapeHtml(slug)}">${inner}</h${depth}>\n`;
      },
    },
  });
}

function prefixed(value: string): string {
  return value.startsWith(ID_PREFIX) ? value : `${ID_PREFIX}${value}`;
}

/** Attributes every tag gets: ids and names prefixed, in-document links pointed at them. */
function userContent(attribs: sanitizeHtml.Attributes): sanitizeHtml.Attributes {
  const out = { ...attribs };
  if (out.id !== undefined) out.id = prefixed(out.id);
  if (out.name !== undefined) out.name = prefixed(out.name);
  if (out.href !== undefined && out.href.length > 1 && out.href.startsWith('#'))
    out.href = `#${prefixed(out.href.slice(1))}`;
  return out;
}

function sanitize(html: string, ctx: MarkdownContext): string {
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
      a: ['href', 'name', 'title', 'rel'],
      img: ['src', 'alt', 'title', 'width', 'height', 'referrerpolicy', 'loading'],
      input: ['type', 'checked', 'disabled'],
      td: ['align'],
      th: ['align'],
      ol: ['start'],
      code: ['class'],
      '*': ['id'],
    },
    // Only the language marker of fenced code: no borrowing the site's own classes.
    allowedClasses: { code: ['language-*'] },
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
        attribs: {
          ...attribs,
          ...(attribs.src ? { src: resolveRepoUrl(attribs.src, ctx, 'raw') } : {}),
          referrerpolicy: 'no-referrer',
          loading: 'lazy',
        },
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
      '*': (tag, attribs) => ({ tagName: tag, attribs: userContent(attribs) }),
    },
    exclusiveFilter: (frame) => frame.tag === 'input' && frame.attribs.type !== 'checkbox',
  });
}

/**
 * Markdown the renderer is not given, shown as escaped text instead: marked's time grows faster
 * than the input on deep nesting (3,000 nested list levels ran past 15 s, 65,000 `>` overflowed
 * the stack) and on emphasis marks (32,000 `*a` took 7 s), so one comment could hold a request's
 * CPU. Measured in Node: at these bounds each case renders in under a second.
 */
const MAX_MARKDOWN_CHARS = 512 * 1024;
/**
 * Longest run of indentation, blockquote and list markers that opens a line (each nesting level
 * is a few of them; a rule of dashes is not a marker).
 */
const MAX_LINE_NESTING = 160;
const MAX_EMPHASIS_MARKS = 10_000;
const DEEP_LINE = new RegExp(`^(?:[ \\t>]|[*+-][ \\t]){${MAX_LINE_NESTING + 1}}`, 'm');

function tooCostly(text: string): boolean {
  if (text.length > MAX_MARKDOWN_CHARS) return true;
  if (DEEP_LINE.test(text)) return true;
  let marks = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c === 0x2a || c === 0x5f) && ++marks > MAX_EMPHASIS_MARKS) return true;
  }
  return false;
}

export function renderMarkdown(text: string, ctx: MarkdownContext): string {
  if (tooCostly(text)) return `<pre>${escapeHtml(text)}</pre>`;
  let html: string;
  try {
    html = parser().parse(text) as string;
  } catch (e) {
    // The markdown library failed on this text: one viewer's odd input must not break the page.
    console.error('markdown rendering failed; showing the text escaped', e);
    return `<pre>${escapeHtml(text)}</pre>`;
  }
  return sanitize(html, ctx);
}
