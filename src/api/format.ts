// JSON shapes of the API (Gitea's field names).
import type { Permission } from '../auth/access';
import type { CollaboratorRecord, RepoRecord } from '../db/repos';
import type { TokenRecord } from '../db/tokens';
import type { UserRecord } from '../db/users';

export function userJson(u: UserRecord, opts: { showEmail: boolean }) {
  return {
    id: u.id,
    login: u.login,
    username: u.login,
    full_name: u.fullName,
    email: opts.showEmail ? u.email : '',
    avatar_url: '',
    created: u.createdAt,
  };
}

/** `opts` carries what the repository's object answers (RepoClient.summary): HEAD lives there. */
export function repoJson(
  origin: string,
  r: RepoRecord,
  opts: { empty: boolean; defaultBranch: string; permission: Permission },
) {
  const fullName = `${r.owner}/${r.name}`;
  return {
    id: r.id,
    name: r.name,
    full_name: fullName,
    description: r.description,
    private: r.private,
    fork: false,
    empty: opts.empty,
    default_branch: opts.defaultBranch,
    topics: r.topics,
    clone_url: `${origin}/${fullName}.git`,
    html_url: `${origin}/${fullName}`,
    owner: { id: r.ownerId, login: r.owner, username: r.owner },
    permissions: {
      admin: opts.permission === 'admin',
      push: opts.permission === 'admin' || opts.permission === 'write',
      pull: opts.permission !== 'none',
    },
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
}

export function tokenJson(t: TokenRecord, secret?: string) {
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

export function collaboratorJson(c: CollaboratorRecord) {
  return {
    id: c.userId,
    login: c.login,
    username: c.login,
    full_name: c.fullName,
    permissions: { admin: c.permission === 'admin', push: c.permission !== 'read', pull: true },
    role_name: c.permission,
  };
}
