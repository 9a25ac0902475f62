// Web pages under a transferred repository's old owner/name move to its new one (301), as
// GitHub's do; the API and git answer at the old URLs directly (findRepo follows the move). Only
// a repository everyone may read is redirected here: for the others the pages answer at the old
// URL after the usual permission check, so the new name is never shown to whoever cannot read it.
import { findRepoById } from '../db/repos';

export async function movedRepoRedirect(request: Request, db: D1Database): Promise<Response | null> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return null;
  const url = new URL(request.url);
  const m = /^\/([^/]+)\/([^/]+)(\/.*)?$/.exec(url.pathname);
  if (!m) return null;
  const r = await db
    .prepare(
      `select rr."repo_id" from "repo_redirect" rr join "user" u on u."id" = rr."owner_id"
       where u."username" = ?1 and rr."lower_name" = ?2
       and not exists (select 1 from "repository" r where r."owner_id" = u."id" and r."lower_name" = ?2)`,
    )
    .bind(m[1].toLowerCase(), m[2].toLowerCase())
    .first<{ repo_id: number }>();
  if (!r) return null;
  const repo = await findRepoById(db, Number(r.repo_id));
  if (!repo || repo.private || (repo.orgVisibility ?? 'public') !== 'public') return null;
  url.pathname = `/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}${m[3] ?? ''}`;
  return Response.redirect(url.toString(), 301);
}
