/**
 * Gitea's objects for the git data and contents APIs: Commit (with `files` and `stats` when
 * asked), Reference, GitTreeResponse, GitBlobResponse, ContentsResponse and the commit part of
 * FileResponse, with Gitea's field names and types.
 */

import type { RepoRecord } from '../db/repos';
import type { UserRecord } from '../db/users';
import type { Person } from '../git/browse/objects';
import type { CommitSummary, FileDiff, GitTreeListing, RefObject } from '../git/browse/request';
import { userJson } from './format';
import type { Commit, ContentsResponse } from './schemas/content';
import type { FileCommitResponse, GitTreeResponse, Reference } from './schemas/git-data';

/** Gitea's PayloadCommitVerification of a commit that is not signed (signatures are not checked). */
export const UNSIGNED = {
  verified: false,
  reason: 'gpg.error.not_signed_commit',
  signature: '',
  signer: null,
  payload: '',
};

export function apiBase(origin: string, repo: RepoRecord): string {
  return `${origin}/api/v1/repos/${repo.owner}/${repo.name}`;
}

export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** A person's date with the commit's own offset, as git shows it (`2024-01-02T03:04:05+02:00`). */
export function personDate(p: Pick<Person, 'time' | 'timezone'>): string {
  const m = /^([+-])(\d\d)(\d\d)$/.exec(p.timezone);
  const offsetMin = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  const local = new Date((p.time + offsetMin * 60) * 1000).toISOString().slice(0, 19);
  if (offsetMin === 0) return `${local}Z`;
  return `${local}${m?.[1]}${m?.[2]}:${m?.[3]}`;
}

function commitUser(p: Person) {
  return { name: p.name, email: p.email, date: personDate(p) };
}

/** Gitea's status words for a commit's files (it lists a rename as a removal and an addition). */
function affectedFiles(files: readonly FileDiff[]) {
  const out: { filename: string; status: string }[] = [];
  for (const f of files) {
    if (f.status === 'renamed') {
      out.push(
        { filename: f.oldPath ?? '', status: 'removed' },
        { filename: f.newPath ?? '', status: 'added' },
      );
    } else {
      const status = f.status === 'deleted' ? 'removed' : f.status === 'added' ? 'added' : 'modified';
      out.push({ filename: f.newPath ?? f.oldPath ?? '', status });
    }
  }
  return out;
}

/** Gitea's Commit; `files` adds `files` and `stats` (from the commit's diff against its first
 * parent); `users` (findUsersByCommitEmails) fills `author`/`committer` with their accounts. */
export function commitJson(
  origin: string,
  repo: RepoRecord,
  c: CommitSummary,
  files?: readonly FileDiff[] | null,
  users?: ReadonlyMap<string, UserRecord>,
): Commit {
  const api = apiBase(origin, repo);
  const account = (email: string) => {
    const u = users?.get(email);
    return u ? userJson(u, { showEmail: false, origin }) : null;
  };
  const base = {
    url: `${api}/git/commits/${c.oid}`,
    sha: c.oid,
    created: personDate(c.committer),
    html_url: `${origin}/${repo.owner}/${repo.name}/commit/${c.oid}`,
    commit: {
      url: `${api}/git/commits/${c.oid}`,
      author: commitUser(c.author),
      committer: commitUser(c.committer),
      message: c.message,
      tree: { url: `${api}/git/trees/${c.tree}`, sha: c.tree, created: personDate(c.committer) },
      verification: UNSIGNED,
    },
    author: account(c.author.email),
    committer: account(c.committer.email),
    parents: c.parents.map((p) => ({ url: `${api}/git/commits/${p}`, sha: p })),
  };
  if (!files) return base;
  const additions = files.reduce((n, f) => n + (f.additions ?? 0), 0);
  const deletions = files.reduce((n, f) => n + (f.deletions ?? 0), 0);
  return {
    ...base,
    files: affectedFiles(files),
    stats: { total: additions + deletions, additions, deletions },
  };
}

/** Gitea's Reference. */
export function referenceJson(origin: string, repo: RepoRecord, r: RefObject): Reference {
  const api = apiBase(origin, repo);
  const kind = r.type === 'blob' ? 'blobs' : `${r.type}s`;
  return {
    ref: r.name,
    url: `${api}/git/${encodePath(r.name)}`,
    object: { type: r.type, sha: r.oid, url: `${api}/git/${kind}/${r.oid}` },
  };
}

/** Gitea's GitTreeResponse (`tree` is null past the last page, as Gitea's is). */
export function treeJson(origin: string, repo: RepoRecord, t: GitTreeListing): GitTreeResponse {
  const api = apiBase(origin, repo);
  return {
    sha: t.tree,
    url: `${api}/git/trees/${t.tree}`,
    tree:
      t.entries.length === 0 && t.total > 0
        ? null
        : t.entries.map((e) => ({
            path: e.path,
            mode: e.mode,
            type: e.type,
            size: e.size,
            sha: e.oid,
            url:
              e.type === 'tree'
                ? `${api}/git/trees/${e.oid}`
                : e.type === 'blob'
                  ? `${api}/git/blobs/${e.oid}`
                  : '',
          })),
    truncated: t.truncated,
    page: t.page,
    total_count: t.total,
  };
}

export function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** What ContentsResponse says of one entry (Gitea's fields; `content` set only for a file read). */
export interface ContentEntry {
  readonly name: string;
  readonly path: string;
  readonly oid: string;
  readonly type: 'file' | 'dir' | 'symlink' | 'submodule';
  readonly size: number;
  readonly lastCommitSha: string | null;
  readonly content?: Uint8Array | null;
  /** A symlink's target. */
  readonly target?: string | null;
}

/** Gitea's ContentsResponse for `ref` (a branch, tag or commit id). */
export function contentsJson(
  origin: string,
  repo: RepoRecord,
  ref: string,
  e: ContentEntry,
): ContentsResponse {
  const web = `${origin}/${repo.owner}/${repo.name}`;
  const api = apiBase(origin, repo);
  const self = `${api}/contents/${encodePath(e.path)}?ref=${encodeURIComponent(ref)}`;
  const git = e.type === 'dir' ? `${api}/git/trees/${e.oid}` : `${api}/git/blobs/${e.oid}`;
  const html = `${web}/${e.type === 'dir' ? 'tree' : 'blob'}/${encodePath(ref)}/${encodePath(e.path)}`;
  const hasContent = e.content !== undefined && e.content !== null;
  return {
    name: e.name,
    path: e.path,
    sha: e.oid,
    last_commit_sha: e.lastCommitSha,
    type: e.type,
    size: e.size,
    encoding: hasContent ? 'base64' : null,
    content: hasContent && e.content ? base64(e.content) : null,
    target: e.target ?? null,
    url: self,
    html_url: html,
    git_url: e.type === 'submodule' ? null : git,
    download_url: e.type === 'file' ? `${web}/raw/${encodePath(ref)}/${encodePath(e.path)}` : null,
    submodule_git_url: null,
    _links: { self, git: e.type === 'submodule' ? null : git, html },
  };
}

/** Gitea's FileCommitResponse: the commit a contents write made. */
export function fileCommitJson(origin: string, repo: RepoRecord, c: CommitSummary): FileCommitResponse {
  const api = apiBase(origin, repo);
  return {
    url: `${api}/git/commits/${c.oid}`,
    sha: c.oid,
    created: personDate(c.committer),
    html_url: `${origin}/${repo.owner}/${repo.name}/commit/${c.oid}`,
    author: commitUser(c.author),
    committer: commitUser(c.committer),
    parents: c.parents.map((p) => ({ url: `${api}/git/commits/${p}`, sha: p })),
    message: c.message,
    tree: { url: `${api}/git/trees/${c.tree}`, sha: c.tree, created: personDate(c.committer) },
  };
}
