/** Web URLs of a repository's pages (CONTRACT.md's GitHub-style scheme), built in one place. */

export function encodePath(path: string): string {
  return path
    .split('/')
    .filter((p) => p !== '')
    .map(encodeURIComponent)
    .join('/');
}

export interface RepoRef {
  readonly owner: string;
  readonly name: string;
}

export function repoUrl(r: RepoRef): string {
  return `/${encodeURIComponent(r.owner)}/${encodeURIComponent(r.name)}`;
}

function join(...parts: string[]): string {
  return parts.filter((p) => p !== '').join('/');
}

export const urls = {
  home: (r: RepoRef) => repoUrl(r),
  tree: (r: RepoRef, ref: string, path = '') => join(`${repoUrl(r)}/tree`, encodePath(ref), encodePath(path)),
  blob: (r: RepoRef, ref: string, path: string) =>
    join(`${repoUrl(r)}/blob`, encodePath(ref), encodePath(path)),
  raw: (r: RepoRef, ref: string, path: string) =>
    join(`${repoUrl(r)}/raw`, encodePath(ref), encodePath(path)),
  blame: (r: RepoRef, ref: string, path: string) =>
    join(`${repoUrl(r)}/blame`, encodePath(ref), encodePath(path)),
  commits: (r: RepoRef, ref: string, path = '') =>
    join(`${repoUrl(r)}/commits`, encodePath(ref), encodePath(path)),
  commit: (r: RepoRef, sha: string) => `${repoUrl(r)}/commit/${sha}`,
  compare: (r: RepoRef, base: string, head: string) =>
    `${repoUrl(r)}/compare/${encodePath(base)}...${encodePath(head)}`,
  /** The head against the default branch; `forkowner:branch` for a fork's (on its parent). */
  compareHead: (r: RepoRef, head: string) => `${repoUrl(r)}/compare/${encodePath(head)}`,
  branches: (r: RepoRef) => `${repoUrl(r)}/branches`,
  tags: (r: RepoRef) => `${repoUrl(r)}/tags`,
  archive: (r: RepoRef, ref: string, format: 'zip' | 'tar.gz') =>
    `${repoUrl(r)}/archive/${encodePath(ref)}.${format}`,
};

/** Split a route splat (already decoded by the router) into its text; '' when absent. */
export function splatOf(params: { _splat?: string }): string {
  return params._splat ?? '';
}
