// What a `service: "gitea"` migration asks for, read from Gitea's MigrateRepoOptions.
import type { ImportOptions } from '../../db/migration-import';
import { base64Utf8 } from '../outbound/git-transport';

/** Services whose API is Gitea's (Gitea, Forgejo, Codeberg, this server). */
export const GITEA_SERVICES: readonly string[] = ['gitea', 'forgejo'];

/**
 * The source repository's API base from its clone URL (`https://host[/sub]/owner/name[.git]`),
 * as Gitea's migration derives it; null when the path does not end in owner/name.
 */
export function giteaApiBase(cloneAddr: string): string | null {
  const url = new URL(cloneAddr);
  const parts = url.pathname
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .split('/');
  if (parts.length < 3) return null;
  const name = parts.pop() as string;
  const owner = parts.pop() as string;
  if (!owner || !name) return null;
  return `${url.origin}${parts.join('/')}/api/v1/repos/${owner}/${name}`;
}

/** The API's Authorization header: a token as Gitea takes it, else the user name and password. */
export function giteaAuthorization(creds: {
  username?: string;
  password?: string;
  token?: string;
}): string | null {
  if (creds.token) return `token ${creds.token}`;
  if (creds.username || creds.password)
    return `Basic ${base64Utf8(`${creds.username ?? ''}:${creds.password ?? ''}`)}`;
  return null;
}

export function importOptions(
  body: Record<string, unknown>,
  apiBase: string,
  migratorId: number,
): ImportOptions {
  const flag = (key: string) => body[key] === true;
  return {
    apiBase,
    labels: flag('labels'),
    milestones: flag('milestones'),
    issues: flag('issues'),
    pullRequests: flag('pull_requests'),
    releases: flag('releases'),
    migratorId,
  };
}
