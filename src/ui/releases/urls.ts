/** Web URLs of the release pages (GitHub's scheme). */
import { encodePath, type RepoRef, repoUrl } from '../repo/urls';

export const releaseUrls = {
  list: (r: RepoRef, page = 1) => `${repoUrl(r)}/releases${page > 1 ? `?page=${page}` : ''}`,
  release: (r: RepoRef, tag: string) => `${repoUrl(r)}/releases/tag/${encodePath(tag)}`,
  create: (r: RepoRef) => `${repoUrl(r)}/releases/new`,
  edit: (r: RepoRef, tag: string) => `${repoUrl(r)}/releases/edit/${encodePath(tag)}`,
  api: (r: RepoRef) => `/api/v1/repos${repoUrl(r)}/releases`,
};
