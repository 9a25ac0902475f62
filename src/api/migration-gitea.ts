// The part of `POST /repos/migrate` that a `service: "gitea"` migration adds: where the source's
// API is, what to import, and the API's credentials.
import type { ImportOptions } from '../db/migration-import';
import { giteaApiBase, giteaAuthorization, importOptions } from '../services/gitea-import/start';
import type { JsonObject } from './body';
import { invalid } from './errors';

export async function giteaImportPlan(
  body: JsonObject,
  cloneAddr: string,
  creds: { username?: string; password?: string; token?: string },
  migratorId: number,
): Promise<{ options: ImportOptions; authorization: string | null }> {
  const apiBase = giteaApiBase(cloneAddr);
  if (!apiBase) throw invalid('clone_addr must name a repository as https://host/owner/name');
  for (const key of ['labels', 'milestones', 'issues', 'pull_requests', 'releases', 'wiki']) {
    if (body[key] !== undefined && typeof body[key] !== 'boolean') throw invalid(`${key} must be a boolean`);
  }
  return { options: importOptions(body, apiBase, migratorId), authorization: giteaAuthorization(creds) };
}
