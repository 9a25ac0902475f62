// Web pages under a renamed account's old username move to its new one (301), as GitHub's do;
// the API and git answer at the old URLs directly (findRepo resolves old names), since their
// clients may not follow a redirect of a POST.

import { usernameProblem } from '../auth/username';
import { renamedLogin } from '../db/retired-usernames';

/** The redirect for a page under an old username, or null when the path is not one. */
export async function renamedOwnerRedirect(request: Request, db: D1Database): Promise<Response | null> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return null;
  const url = new URL(request.url);
  const m = /^\/([^/]+)(\/.*)?$/.exec(url.pathname);
  if (!m || usernameProblem(m[1]) !== null) return null;
  const login = await renamedLogin(db, m[1]);
  if (login === null) return null;
  url.pathname = `/${encodeURIComponent(login)}${m[2] ?? ''}`;
  return Response.redirect(url.toString(), 301);
}
