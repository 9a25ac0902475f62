/**
 * Server-side syntax highlighting with highlight.js (common languages), split into one HTML
 * string per line so that each line can carry its own number and anchor. highlight.js escapes
 * the source text itself; the only markup it adds is `<span class="hljs-...">`.
 */
import hljs from 'highlight.js/lib/common';
import { escapeHtml } from '../../../services/markdown/escape-html';

/** Beyond this, files are shown as plain escaped text (highlighting cost grows with size). */
const MAX_HIGHLIGHT_BYTES = 256 * 1024;

const BY_NAME: Record<string, string> = {
  Dockerfile: 'dockerfile',
  Makefile: 'makefile',
  'CMakeLists.txt': 'cmake',
};

const BY_EXT: Record<string, string> = {
  ts: 'typescript',
  tsx: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  js: 'javascript',
  jsx: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  h: 'c',
  hpp: 'cpp',
  cc: 'cpp',
  md: 'markdown',
  yml: 'yaml',
  sh: 'bash',
  rs: 'rust',
  py: 'python',
  rb: 'ruby',
  kt: 'kotlin',
  cs: 'csharp',
  html: 'xml',
  htm: 'xml',
  svg: 'xml',
  jsonc: 'json',
  toml: 'ini',
};

/** A table's own entry only: a file named `constructor` or `x.__proto__` must not find Object's. */
function own(table: Record<string, string>, key: string): string | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

export function languageFor(path: string): string | null {
  const name = path.split('/').pop() ?? '';
  const ext = /\.([A-Za-z0-9+]+)$/.exec(name)?.[1]?.toLowerCase();
  const lang = own(BY_NAME, name) ?? (ext ? (own(BY_EXT, ext) ?? ext) : null);
  // Only languages the bundled highlighter has (Dockerfile's is not among its common ones).
  return lang !== null && hljs.getLanguage(lang) ? lang : null;
}

/**
 * Split highlighted HTML into lines: a span open across a newline is closed at the end of the
 * line and reopened on the next, so every line is balanced markup.
 */
export function splitHighlightedLines(html: string): string[] {
  const lines: string[] = [];
  const open: string[] = [];
  let cur = '';
  const tag = /<span[^>]*>|<\/span>|\n/g;
  let last = 0;
  for (let m = tag.exec(html); m !== null; m = tag.exec(html)) {
    cur += html.slice(last, m.index);
    last = m.index + m[0].length;
    if (m[0] === '\n') {
      lines.push(cur + '</span>'.repeat(open.length));
      cur = open.join('');
    } else if (m[0] === '</span>') {
      open.pop();
      cur += m[0];
    } else {
      open.push(m[0]);
      cur += m[0];
    }
  }
  cur += html.slice(last);
  if (cur !== '' && cur !== open.join('')) lines.push(cur + '</span>'.repeat(open.length));
  return lines;
}

/** One safe HTML string per line of `text`. */
export function highlightLines(text: string, path: string): { lines: string[]; language: string | null } {
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  const language = text.length <= MAX_HIGHLIGHT_BYTES ? languageFor(path) : null;
  const plain = () => ({ lines: body === '' ? [] : body.split('\n').map(escapeHtml), language: null });
  if (language === null) return plain();
  let html: string;
  try {
    html = hljs.highlight(body, { language, ignoreIllegals: true }).value;
  } catch (e) {
    // A grammar that fails on some input: the file is still shown, as plain text.
    console.error(`highlighting as ${language} failed; showing plain text`, e);
    return plain();
  }
  return { lines: splitHighlightedLines(html), language };
}
