/** API addresses the settings page calls. */
import type { RepoView } from '../repo/server/view-types';

export function repoApi(repo: Pick<RepoView, 'owner' | 'name'>): string {
  return `/api/v1/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}`;
}

export function collaboratorApi(repo: Pick<RepoView, 'owner' | 'name'>, login: string): string {
  return `${repoApi(repo)}/collaborators/${encodeURIComponent(login)}`;
}
