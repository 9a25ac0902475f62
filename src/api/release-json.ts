// JSON shapes of releases and their assets (Gitea's field names, which follow GitHub's).
import type { ReleaseAssetRecord, ReleaseRecord } from '../db/releases';
import type { RepoRecord } from '../db/repos';
import { releaseDownloadPath, releasePath } from '../services/releases';
import type { Attachment, Release } from './schemas/release';

const repoPath = (r: RepoRecord) => `${encodeURIComponent(r.owner)}/${encodeURIComponent(r.name)}`;

export function assetJson(
  origin: string,
  repo: RepoRecord,
  release: ReleaseRecord,
  a: ReleaseAssetRecord,
): Attachment {
  return {
    id: a.id,
    name: a.name,
    size: a.size,
    download_count: a.downloadCount,
    created_at: a.createdAt,
    uuid: String(a.id),
    content_type: a.contentType,
    type: 'attachment',
    browser_download_url: `${origin}${releaseDownloadPath(repo, release.tagName, a.name)}`,
  };
}

export function releaseJson(origin: string, repo: RepoRecord, r: ReleaseRecord): Release {
  const api = `${origin}/api/v1/repos/${repoPath(repo)}/releases/${r.id}`;
  const archive = `${origin}/${repoPath(repo)}/archive/${encodeURIComponent(r.tagName)}`;
  return {
    id: r.id,
    tag_name: r.tagName,
    target_commitish: r.target,
    name: r.name,
    body: r.body,
    url: api,
    html_url: `${origin}${releasePath(repo, r.tagName)}`,
    tarball_url: `${archive}.tar.gz`,
    zipball_url: `${archive}.zip`,
    upload_url: `${api}/assets`,
    draft: r.draft,
    prerelease: r.prerelease,
    created_at: r.createdAt,
    published_at: r.publishedAt,
    author:
      r.authorId === null || r.author === null
        ? { id: -1, login: 'ghost', username: 'ghost' }
        : { id: r.authorId, login: r.author, username: r.author },
    assets: r.assets.map((a) => assetJson(origin, repo, r, a)),
  };
}
