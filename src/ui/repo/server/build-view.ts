/**
 * Server side of the repository pages: in the frame of `loadRepoPage` (caller, permission, 404,
 * repository view), reads from the repository's Durable Object and renders code and markdown to
 * safe HTML, so that no highlighter or markdown library ships to the browser.
 */

import { env } from 'cloudflare:workers';
import type { Actor } from '../../../auth/authenticate';
import type { RepoRecord } from '../../../db/repos';
import type { BrowseRequest, BrowseResult } from '../../../git/browse/request';
import { type LfsFile, lfsBlob } from '../../../services/lfs/content';
import { renderMarkdown } from '../../../services/markdown/markdown';
import { pageNumber } from '../../../services/paging';
import { combinedStatuses } from '../../../services/protection';
import { repoClient } from '../../../services/repo-client';
import { highlightLines } from '../render/highlight';
import { urls } from '../urls';
import { compareData } from './compare-view';
import { loadRepoPage, pageAdmissionWait, pageNotFound, pageRefused } from './load-page';
import type { BlobView, PageData, RefNames, ViewInput, ViewResponse } from './view-types';

/** Files shown inline at most; larger ones link to their raw download. */
const BLOB_MAX = 1024 * 1024;
const COMMITS_PER_PAGE = 30;

type Kind<K extends BrowseResult['kind']> = Extract<BrowseResult, { kind: K }>;

async function ask<K extends BrowseResult['kind']>(
  repo: RepoRecord,
  req: BrowseRequest,
  ...kinds: K[]
): Promise<Kind<K>> {
  const r = await repoClient(env, repo).browse(req, pageAdmissionWait());
  if (r.kind === 'error') throw pageRefused(r.code, r.message);
  if (!(kinds as string[]).includes(r.kind)) throw pageNotFound(`unexpected ${r.kind}`);
  return r as Kind<K>;
}

function refNames(refs: Kind<'refs'>): RefNames {
  return { branches: refs.branches.map((b) => b.name), tags: refs.tags.map((t) => t.name) };
}

function isMarkdown(path: string): boolean {
  return /\.(md|markdown|mdown)$/i.test(path);
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

function readmeHtml(repo: RepoRecord, tree: Kind<'tree'>): string | null {
  if (!tree.readme) return null;
  const ctx = { repoBase: urls.home(repo), ref: tree.ref.name, dir: dirOf(tree.readme.path) };
  if (isMarkdown(tree.readme.path)) return renderMarkdown(tree.readme.text, ctx);
  return `<pre>${highlightLines(tree.readme.text, 'README.txt').lines.join('\n')}</pre>`;
}

function blobView(repo: RepoRecord, blob: Kind<'blob'>, lfs: LfsFile | null): BlobView {
  const { bytes: _bytes, text, ...rest } = blob;
  const image = /\.(png|jpe?g|gif|webp|bmp|ico|avif)$/i.test(blob.path);
  const hl = text === null ? null : highlightLines(text, blob.path);
  const markdownHtml =
    text !== null && isMarkdown(blob.path)
      ? renderMarkdown(text, { repoBase: urls.home(repo), ref: blob.ref.name, dir: dirOf(blob.path) })
      : null;
  return { ...rest, lines: hl?.lines ?? null, language: hl?.language ?? null, markdownHtml, image, lfs };
}

async function pageData(actor: Actor | null, repo: RepoRecord, input: ViewInput): Promise<PageData> {
  const v = input.view;
  switch (v.page) {
    case 'home': {
      const refs = await ask(repo, { kind: 'refs' }, 'refs');
      if (refs.empty) return { page: 'home', refs: refNames(refs), tree: null, readmeHtml: null };
      const tree = await ask(repo, { kind: 'tree', at: { ref: '', path: '' } }, 'tree');
      return { page: 'home', refs: refNames(refs), tree, readmeHtml: readmeHtml(repo, tree) };
    }
    case 'tree': {
      const r = await ask(repo, { kind: 'tree', at: { refPath: v.splat } }, 'tree', 'blob');
      if (r.kind === 'blob') return { page: 'redirect', to: urls.blob(repo, r.ref.name, r.path) };
      const refs = await ask(repo, { kind: 'refs' }, 'refs');
      return { page: 'tree', refs: refNames(refs), tree: r, readmeHtml: readmeHtml(repo, r) };
    }
    case 'blob': {
      const r = await ask(
        repo,
        { kind: 'blob', at: { refPath: v.splat }, maxBytes: BLOB_MAX },
        'tree',
        'blob',
      );
      if (r.kind === 'tree') return { page: 'redirect', to: urls.tree(repo, r.ref.name, r.path) };
      const refs = await ask(repo, { kind: 'refs' }, 'refs');
      const shown = await lfsBlob(env, repo, r, BLOB_MAX);
      return { page: 'blob', refs: refNames(refs), blob: blobView(repo, shown.blob, shown.lfs) };
    }
    case 'blame': {
      const b = await ask(repo, { kind: 'blame', at: { refPath: v.splat } }, 'blame');
      const lines = highlightLines(`${b.lines.join('\n')}\n`, b.path).lines;
      return { page: 'blame', blame: b, lines };
    }
    case 'commits': {
      const at = { refPath: v.splat };
      const page = pageNumber(v.pageNo);
      const log = await ask(repo, { kind: 'log', at, page, limit: COMMITS_PER_PAGE }, 'log');
      const refs = await ask(repo, { kind: 'refs' }, 'refs');
      const statuses = await combinedStatuses(
        env.DB,
        repo.id,
        log.commits.map((c) => c.oid),
      );
      return { page: 'commits', refs: refNames(refs), log, statuses };
    }
    case 'commit':
      return { page: 'commit', commit: await ask(repo, { kind: 'commit', sha: v.sha }, 'commit') };
    case 'compare':
      return compareData(actor, repo, v.spec);
    case 'branches': {
      const refs = await ask(repo, { kind: 'refs' }, 'refs');
      const statuses = await combinedStatuses(
        env.DB,
        repo.id,
        refs.branches.map((b) => b.commit.oid),
      );
      return { page: 'branches', refs, statuses };
    }
    case 'tags':
      return { page: 'tags', refs: await ask(repo, { kind: 'refs' }, 'refs') };
  }
}

export function buildView(input: ViewInput): Promise<ViewResponse> {
  return loadRepoPage(input, async ({ actor, repo }) => ({ data: await pageData(actor, repo, input) }), {
    dropGitSuffix: input.view.page === 'home',
  });
}
