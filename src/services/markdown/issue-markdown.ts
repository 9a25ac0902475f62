/**
 * Markdown of issue and comment bodies: the repository renderer (marked + sanitize-html, relative
 * links resolved on the default branch), then `#12` references linked to the issue or pull
 * request when one of that number exists. Linking works on the sanitized HTML, outside links,
 * code and pre blocks, so it can only add anchors with URLs built here.
 */
import { findIssueKinds } from '../../db/issues';
import { renderMarkdown } from './markdown';

export interface IssueRepo {
  readonly id: number;
  readonly owner: string;
  readonly name: string;
  readonly defaultBranch: string;
}

// A `#N` not glued to a word, an entity (`&#39;`) or a path/URL before it.
const REF = /(^|[^\w&/#])#(\d{1,9})\b/g;
const SKIP_TAGS = new Set(['a', 'code', 'pre']);

type Segment = { tag: string } | { text: string; skip: boolean };

function segments(html: string): Segment[] {
  const out: Segment[] = [];
  const depth = new Map<string, number>();
  for (const part of html.split(/(<[^>]*>)/)) {
    if (part === '') continue;
    const tag = /^<(\/?)([a-zA-Z0-9]+)/.exec(part);
    if (part.startsWith('<') && tag) {
      const name = tag[2].toLowerCase();
      if (SKIP_TAGS.has(name)) depth.set(name, Math.max(0, (depth.get(name) ?? 0) + (tag[1] ? -1 : 1)));
      out.push({ tag: part });
      continue;
    }
    const skip = [...depth.values()].some((d) => d > 0);
    out.push({ text: part, skip });
  }
  return out;
}

function referencedNumbers(parts: Segment[]): number[] {
  const found = new Set<number>();
  for (const p of parts) {
    if ('tag' in p || p.skip) continue;
    for (const m of p.text.matchAll(REF)) found.add(Number(m[2]));
  }
  return [...found];
}

function link(parts: Segment[], base: string, kinds: Map<number, 'issue' | 'pull'>): string {
  return parts
    .map((p) => {
      if ('tag' in p) return p.tag;
      if (p.skip) return p.text;
      return p.text.replace(REF, (whole, before: string, digits: string) => {
        const kind = kinds.get(Number(digits));
        if (!kind) return whole;
        const path = kind === 'pull' ? 'pull' : 'issues';
        return `${before}<a class="issue-ref" href="${base}/${path}/${Number(digits)}">#${Number(digits)}</a>`;
      });
    })
    .join('');
}

/** Renders several bodies with one lookup of the numbers they reference. */
export async function renderIssueMarkdown(
  db: D1Database,
  repo: IssueRepo,
  texts: string[],
): Promise<string[]> {
  const base = `/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}`;
  const rendered = texts.map((t) =>
    segments(renderMarkdown(t, { repoBase: base, ref: repo.defaultBranch, dir: '' })),
  );
  const numbers = [...new Set(rendered.flatMap(referencedNumbers))];
  const kinds = await findIssueKinds(db, repo.id, numbers.slice(0, 90));
  return rendered.map((parts) => link(parts, base, kinds));
}
