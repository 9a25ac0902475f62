// JSON shapes of the API (Gitea's field names).
import type { Permission } from '../auth/access';
import type { RepoCounts } from '../db/repo-counts';
import type { RepoSettings } from '../db/repo-settings';
import type { CollaboratorRecord, RepoParent, RepoRecord } from '../db/repos';
import type { TokenRecord } from '../db/tokens';
import type { UserRecord } from '../db/users';
import type { Collaborator, Repository, RepositoryParent } from './schemas/repository';
import type { AccessToken, User } from './schemas/user';

/** Gitea's zero time, which it answers for times that never happened (archived_at, last_login). */
export const ZERO_TIME = '1970-01-01T00:00:00Z';

/** Gitea's User object; fields this server has no notion of carry Gitea's empty values. */
export function userRefJson(
  origin: string,
  u: { id: number; login: string; fullName?: string; email?: string; createdAt?: string },
): User {
  return {
    id: u.id,
    login: u.login,
    login_name: '',
    source_id: 0,
    full_name: u.fullName ?? '',
    email: u.email ?? '',
    avatar_url: '',
    html_url: `${origin}/${encodeURIComponent(u.login)}`,
    language: '',
    is_admin: false,
    last_login: ZERO_TIME,
    created: u.createdAt ?? ZERO_TIME,
    restricted: false,
    active: true,
    prohibit_login: false,
    location: '',
    website: '',
    description: '',
    visibility: 'public',
    followers_count: 0,
    following_count: 0,
    starred_repos_count: 0,
    username: u.login,
  };
}

/** `origin` makes html_url absolute (payloads built without a request leave it relative). */
export function userJson(u: UserRecord, opts: { showEmail: boolean; origin?: string }): User {
  return userRefJson(opts.origin ?? '', { ...u, email: opts.showEmail ? u.email : '' });
}

/** What a repository's JSON needs beyond its metadata row. */
export interface RepoJsonOpts {
  /** From the repository's object (RepoClient.summary): HEAD lives there. */
  empty: boolean;
  defaultBranch: string;
  permission: Permission;
  settings: RepoSettings;
  counts?: RepoCounts;
}

/** Gitea's Repository object. */
export function repoJson(origin: string, r: RepoRecord, opts: RepoJsonOpts): Repository {
  const fullName = `${r.owner}/${r.name}`;
  const path = `${encodeURIComponent(r.owner)}/${encodeURIComponent(r.name)}`;
  const s = opts.settings;
  const counts = opts.counts ?? { openIssues: 0, openPulls: 0 };
  return {
    id: r.id,
    owner: userRefJson(origin, { id: r.ownerId, login: r.owner, fullName: r.ownerFullName }),
    name: r.name,
    full_name: fullName,
    description: r.description,
    empty: opts.empty,
    private: r.private,
    fork: r.fork,
    template: false,
    parent: r.parent && parentJson(origin, r.parent),
    mirror: false,
    size: 0,
    language: '',
    languages_url: `${origin}/api/v1/repos/${path}/languages`,
    html_url: `${origin}/${path}`,
    url: `${origin}/api/v1/repos/${path}`,
    link: '',
    ssh_url: '',
    clone_url: `${origin}/${path}.git`,
    original_url: '',
    website: s.website,
    stars_count: 0,
    forks_count: r.forksCount,
    watchers_count: 0,
    open_issues_count: counts.openIssues,
    open_pr_counter: counts.openPulls,
    release_counter: 0,
    default_branch: opts.defaultBranch,
    archived: s.archived,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    archived_at: s.archivedAt ?? ZERO_TIME,
    permissions: {
      admin: opts.permission === 'admin',
      push: opts.permission === 'admin' || opts.permission === 'write',
      pull: opts.permission !== 'none',
    },
    has_issues: s.hasIssues,
    internal_tracker: s.hasIssues
      ? {
          enable_time_tracker: false,
          allow_only_contributors_to_track_time: true,
          enable_issue_dependencies: false,
        }
      : null,
    has_wiki: false,
    has_pull_requests: s.hasPullRequests,
    has_projects: false,
    projects_mode: 'repo',
    has_releases: true,
    has_packages: false,
    has_actions: false,
    ignore_whitespace_conflicts: s.ignoreWhitespaceConflicts,
    allow_merge_commits: s.allowMergeCommits,
    allow_rebase: s.allowRebase,
    allow_rebase_explicit: s.allowRebaseExplicit,
    allow_squash_merge: s.allowSquashMerge,
    allow_fast_forward_only_merge: s.allowFastForwardOnlyMerge,
    allow_rebase_update: s.allowRebaseUpdate,
    default_delete_branch_after_merge: s.defaultDeleteBranchAfterMerge,
    default_merge_style: s.defaultMergeStyle,
    default_allow_maintainer_edit: s.defaultAllowMaintainerEdit,
    avatar_url: '',
    internal: false,
    mirror_interval: '',
    object_format_name: 'sha1',
    mirror_updated: ZERO_TIME,
    repo_transfer: null,
    topics: r.topics,
    licenses: [],
  };
}

/** A fork's parent: the fields clients read of it (Gitea gives the whole repository object). */
function parentJson(origin: string, p: RepoParent): RepositoryParent {
  const fullName = `${p.owner}/${p.name}`;
  return {
    id: p.id,
    name: p.name,
    full_name: fullName,
    private: p.private,
    clone_url: `${origin}/${fullName}.git`,
    html_url: `${origin}/${fullName}`,
    owner: { login: p.owner, username: p.owner },
  };
}

export function tokenJson(t: TokenRecord, secret?: string): AccessToken {
  return {
    id: t.id,
    name: t.name,
    sha1: secret ?? '',
    token_last_eight: t.tokenLastEight,
    scopes: t.scopes,
    created_at: t.createdAt,
    last_used_at: t.lastUsedAt,
    expires_at: t.expiresAt,
  };
}

export function collaboratorJson(c: CollaboratorRecord): Collaborator {
  return {
    id: c.userId,
    login: c.login,
    username: c.login,
    full_name: c.fullName,
    permissions: { admin: c.permission === 'admin', push: c.permission !== 'read', pull: true },
    role_name: c.permission,
  };
}
