/**
 * Server side of the release pages: in the frame of `loadRepoPage` (caller, permission, 404,
 * repository view), reads D1 and renders the notes as issue bodies are rendered (sanitized,
 * `#N` linked). Drafts, and the new and edit pages, exist only for writers.
 */
import { env } from 'cloudflare:workers';
import { can } from '../../../auth/access';
import { getLatestRelease, getReleaseByTag, listReleases, type ReleaseRecord } from '../../../db/releases';
import type { RepoRecord } from '../../../db/repos';
import { expectKind } from '../../../services/browse';
import { renderIssueMarkdown } from '../../../services/markdown/issue-markdown';
import { releaseDownloadPath, releaseVisible, seesDrafts } from '../../../services/releases';
import { repoClient } from '../../../services/repo-client';
import { loadRepoPage, pageNotFound } from '../../repo/server/load-page';
import type { ReleasePageData, ReleasePageInput, ReleasePageResponse, ReleaseView } from '../types';

export const RELEASES_PER_PAGE = 10;

async function views(repo: RepoRecord, releases: ReleaseRecord[]): Promise<ReleaseView[]> {
  const [html, latest] = await Promise.all([
    renderIssueMarkdown(
      env.DB,
      repo,
      releases.map((r) => r.body),
    ),
    getLatestRelease(env.DB, repo.id),
  ]);
  return releases.map((r, i) => ({
    id: r.id,
    tagName: r.tagName,
    target: r.target,
    name: r.name,
    body: r.body,
    bodyHtml: html[i],
    draft: r.draft,
    prerelease: r.prerelease,
    latest: latest?.id === r.id,
    author: r.author,
    createdAt: r.createdAt,
    publishedAt: r.publishedAt,
    assets: r.assets.map((a) => ({
      id: a.id,
      name: a.name,
      size: a.size,
      downloadCount: a.downloadCount,
      url: releaseDownloadPath(repo, r.tagName, a.name),
    })),
  }));
}

async function branchNames(repo: RepoRecord): Promise<string[]> {
  const refs = expectKind(await repoClient(env, repo).browse({ kind: 'refs' }), 'refs');
  return refs.branches.map((b) => b.name);
}

async function pageData(
  repo: RepoRecord,
  view: ReleasePageInput['view'],
  permission: Parameters<typeof seesDrafts>[0],
): Promise<ReleasePageData> {
  switch (view.page) {
    case 'list': {
      const pageNo = Math.max(1, Math.min(view.pageNo, 10_000));
      const { releases, total } = await listReleases(env.DB, repo.id, {
        includeDrafts: seesDrafts(permission),
        limit: RELEASES_PER_PAGE,
        offset: (pageNo - 1) * RELEASES_PER_PAGE,
      });
      return {
        page: 'list',
        releases: await views(repo, releases),
        pageNo,
        hasMore: pageNo * RELEASES_PER_PAGE < total,
      };
    }
    case 'release':
    case 'edit': {
      const release = await getReleaseByTag(env.DB, repo.id, view.tag);
      if (!release || !releaseVisible(release, permission)) throw pageNotFound('release not found');
      const [one] = await views(repo, [release]);
      if (view.page === 'release') return { page: 'release', release: one };
      return { page: 'edit', release: one, branches: await branchNames(repo) };
    }
    case 'new':
      return { page: 'new', branches: await branchNames(repo) };
  }
}

export function buildReleasePage(input: ReleasePageInput): Promise<ReleasePageResponse> {
  const writersOnly = input.view.page === 'new' || input.view.page === 'edit';
  return loadRepoPage(
    input,
    async ({ repo, permission }) => ({
      canWrite: can(permission, 'write'),
      data: await pageData(repo, input.view, permission),
    }),
    writersOnly ? { need: 'write' } : {},
  );
}
