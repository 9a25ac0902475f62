// Releases and their assets' metadata (the assets' bytes are in R2, see services/release-assets.ts).
import { loginSql } from './users';

export interface ReleaseAssetRecord {
  id: number;
  releaseId: number;
  name: string;
  size: number;
  contentType: string;
  blobKey: string;
  downloadCount: number;
  createdAt: string;
}

export interface ReleaseRecord {
  id: number;
  repoId: number;
  tagName: string;
  target: string;
  name: string;
  body: string;
  draft: boolean;
  prerelease: boolean;
  authorId: number | null;
  /** The author's login; null when the account is gone. */
  author: string | null;
  createdAt: string;
  publishedAt: string | null;
  assets: ReleaseAssetRecord[];
}

interface ReleaseRow {
  id: number;
  repo_id: number;
  tag_name: string;
  target: string;
  name: string;
  body: string;
  draft: number;
  prerelease: number;
  author_id: number | null;
  author_login: string | null;
  created_at: string;
  published_at: string | null;
}

interface AssetRow {
  id: number;
  release_id: number;
  name: string;
  size: number;
  content_type: string;
  blob_key: string;
  download_count: number;
  created_at: string;
}

const SELECT = `select r."id", r."repo_id", r."tag_name", r."target", r."name", r."body", r."draft",
  r."prerelease", r."author_id", ${loginSql('u')} as author_login, r."created_at", r."published_at"
  from "release" r left join "user" u on u."id" = r."author_id"`;

const ASSET_COLUMNS = `a."id", a."release_id", a."name", a."size", a."content_type", a."blob_key",
  a."download_count", a."created_at"`;

function toAsset(r: AssetRow): ReleaseAssetRecord {
  return {
    id: Number(r.id),
    releaseId: Number(r.release_id),
    name: r.name,
    size: Number(r.size),
    contentType: r.content_type,
    blobKey: r.blob_key,
    downloadCount: Number(r.download_count),
    createdAt: r.created_at,
  };
}

function toRelease(r: ReleaseRow, assets: ReleaseAssetRecord[]): ReleaseRecord {
  return {
    id: Number(r.id),
    repoId: Number(r.repo_id),
    tagName: r.tag_name,
    target: r.target,
    name: r.name,
    body: r.body,
    draft: r.draft !== 0,
    prerelease: r.prerelease !== 0,
    authorId: r.author_id === null ? null : Number(r.author_id),
    author: r.author_login,
    createdAt: r.created_at,
    publishedAt: r.published_at,
    assets,
  };
}

async function withAssets(db: D1Database, rows: ReleaseRow[]): Promise<ReleaseRecord[]> {
  if (rows.length === 0) return [];
  const { results } = await db
    .prepare(
      `select ${ASSET_COLUMNS} from "release_asset" a
       where a."release_id" in (${rows.map(() => '?').join(', ')}) order by a."id"`,
    )
    .bind(...rows.map((r) => r.id))
    .all<AssetRow>();
  const byRelease = new Map<number, ReleaseAssetRecord[]>();
  for (const a of results.map(toAsset)) {
    const list = byRelease.get(a.releaseId) ?? [];
    list.push(a);
    byRelease.set(a.releaseId, list);
  }
  return rows.map((r) => toRelease(r, byRelease.get(Number(r.id)) ?? []));
}

export interface ReleaseFilter {
  /** Drafts are listed only to writers. */
  includeDrafts: boolean;
  draft?: boolean;
  prerelease?: boolean;
  limit: number;
  offset: number;
}

/** Newest first (creation time, then id), as Gitea lists them. */
export async function listReleases(
  db: D1Database,
  repoId: number,
  f: ReleaseFilter,
): Promise<{ releases: ReleaseRecord[]; total: number }> {
  const where = ['r."repo_id" = ?'];
  const params: (number | string)[] = [repoId];
  if (!f.includeDrafts) where.push('r."draft" = 0');
  if (f.draft !== undefined) {
    where.push('r."draft" = ?');
    params.push(f.draft ? 1 : 0);
  }
  if (f.prerelease !== undefined) {
    where.push('r."prerelease" = ?');
    params.push(f.prerelease ? 1 : 0);
  }
  const clause = where.join(' and ');
  const [page, count] = await db.batch([
    db
      .prepare(`${SELECT} where ${clause} order by r."created_at" desc, r."id" desc limit ? offset ?`)
      .bind(...params, f.limit, f.offset),
    db.prepare(`select count(*) as n from "release" r where ${clause}`).bind(...params),
  ]);
  const rows = page.results as ReleaseRow[];
  const total = Number((count.results[0] as { n: number } | undefined)?.n ?? 0);
  return { releases: await withAssets(db, rows), total };
}

export async function getRelease(db: D1Database, repoId: number, id: number): Promise<ReleaseRecord | null> {
  const r = await db
    .prepare(`${SELECT} where r."repo_id" = ? and r."id" = ?`)
    .bind(repoId, id)
    .first<ReleaseRow>();
  return r ? (await withAssets(db, [r]))[0] : null;
}

export async function getReleaseByTag(
  db: D1Database,
  repoId: number,
  tag: string,
): Promise<ReleaseRecord | null> {
  const r = await db
    .prepare(`${SELECT} where r."repo_id" = ? and r."tag_name" = ?`)
    .bind(repoId, tag)
    .first<ReleaseRow>();
  return r ? (await withAssets(db, [r]))[0] : null;
}

/** The newest published release that is not a pre-release (GitHub's "latest"). */
export async function getLatestRelease(db: D1Database, repoId: number): Promise<ReleaseRecord | null> {
  const r = await db
    .prepare(
      `${SELECT} where r."repo_id" = ? and r."draft" = 0 and r."prerelease" = 0
       order by r."created_at" desc, r."id" desc limit 1`,
    )
    .bind(repoId)
    .first<ReleaseRow>();
  return r ? (await withAssets(db, [r]))[0] : null;
}

export interface NewRelease {
  repoId: number;
  tagName: string;
  target: string;
  name: string;
  body: string;
  draft: boolean;
  prerelease: boolean;
  authorId: number;
}

/** The new release's id, or 'conflict' when the tag already has one. */
export async function createRelease(db: D1Database, n: NewRelease): Promise<number | 'conflict'> {
  const now = new Date().toISOString();
  const row = await db
    .prepare(
      `insert into "release" ("repo_id", "tag_name", "target", "name", "body", "draft", "prerelease",
       "author_id", "created_at", "published_at") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict do nothing returning "id"`,
    )
    .bind(
      n.repoId,
      n.tagName,
      n.target,
      n.name,
      n.body,
      n.draft ? 1 : 0,
      n.prerelease ? 1 : 0,
      n.authorId,
      now,
      n.draft ? null : now,
    )
    .first<{ id: number }>();
  return row ? Number(row.id) : 'conflict';
}

export interface ReleaseChanges {
  tagName?: string;
  target?: string;
  name?: string;
  body?: string;
  draft?: boolean;
  prerelease?: boolean;
}

/** Applies the changes; publishing a draft stamps `published_at`. 'conflict' when the new tag has a release. */
export async function updateRelease(
  db: D1Database,
  current: ReleaseRecord,
  ch: ReleaseChanges,
): Promise<'ok' | 'conflict'> {
  const publishing = ch.draft === false && current.draft;
  const now = new Date().toISOString();
  const r = await db
    .prepare(
      `update or ignore "release" set "tag_name" = ?, "target" = ?, "name" = ?, "body" = ?, "draft" = ?,
         "prerelease" = ?, "published_at" = ?, "created_at" = ? where "id" = ?`,
    )
    .bind(
      ch.tagName ?? current.tagName,
      ch.target ?? current.target,
      ch.name ?? current.name,
      ch.body ?? current.body,
      (ch.draft ?? current.draft) ? 1 : 0,
      (ch.prerelease ?? current.prerelease) ? 1 : 0,
      publishing ? now : ch.draft === true ? null : current.publishedAt,
      // A draft published now counts as new for "latest", as on GitHub and Gitea.
      publishing ? now : current.createdAt,
      current.id,
    )
    .run();
  return (r.meta.changes ?? 0) > 0 ? 'ok' : 'conflict';
}

/** Deletes the release and its assets' rows; answers the assets' R2 keys, for the caller to delete. */
export async function deleteRelease(db: D1Database, release: ReleaseRecord): Promise<string[]> {
  await db.prepare(`delete from "release" where "id" = ?`).bind(release.id).run();
  return release.assets.map((a) => a.blobKey);
}

export async function getAsset(
  db: D1Database,
  releaseId: number,
  id: number,
): Promise<ReleaseAssetRecord | null> {
  const r = await db
    .prepare(`select ${ASSET_COLUMNS} from "release_asset" a where a."release_id" = ? and a."id" = ?`)
    .bind(releaseId, id)
    .first<AssetRow>();
  return r ? toAsset(r) : null;
}

export async function getAssetByName(
  db: D1Database,
  releaseId: number,
  name: string,
): Promise<ReleaseAssetRecord | null> {
  const r = await db
    .prepare(`select ${ASSET_COLUMNS} from "release_asset" a where a."release_id" = ? and a."name" = ?`)
    .bind(releaseId, name)
    .first<AssetRow>();
  return r ? toAsset(r) : null;
}

export interface NewAsset {
  releaseId: number;
  repoId: number;
  name: string;
  size: number;
  contentType: string;
  blobKey: string;
  uploaderId: number;
}

/** The new asset, or 'conflict' when the release already has an asset of that name. */
export async function createAsset(db: D1Database, n: NewAsset): Promise<ReleaseAssetRecord | 'conflict'> {
  const row = await db
    .prepare(
      `insert into "release_asset" ("release_id", "repo_id", "name", "size", "content_type", "blob_key",
       "uploader_id", "created_at") values (?, ?, ?, ?, ?, ?, ?, ?)
       on conflict do nothing returning "id", "release_id", "name", "size", "content_type", "blob_key",
       "download_count", "created_at"`,
    )
    .bind(
      n.releaseId,
      n.repoId,
      n.name,
      n.size,
      n.contentType,
      n.blobKey,
      n.uploaderId,
      new Date().toISOString(),
    )
    .first<AssetRow>();
  return row ? toAsset(row) : 'conflict';
}

/** 'conflict' when another asset of the release has that name. */
export async function renameAsset(db: D1Database, id: number, name: string): Promise<'ok' | 'conflict'> {
  const r = await db
    .prepare(`update or ignore "release_asset" set "name" = ? where "id" = ?`)
    .bind(name, id)
    .run();
  return (r.meta.changes ?? 0) > 0 ? 'ok' : 'conflict';
}

export async function deleteAsset(db: D1Database, id: number): Promise<void> {
  await db.prepare(`delete from "release_asset" where "id" = ?`).bind(id).run();
}

export async function countDownload(db: D1Database, id: number): Promise<void> {
  await db
    .prepare(`update "release_asset" set "download_count" = "download_count" + 1 where "id" = ?`)
    .bind(id)
    .run();
}
