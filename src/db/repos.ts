// Repositories and their collaborators.
import { memberSql, type OrgVisibility } from './orgs';
import { endRedirectStatement, redirectedRepoId } from './repo-transfer';
import { accountIdSql } from './retired-usernames';
import { teamRankSql } from './teams';
import { loginSql } from './users';

export type CollaboratorPermission = 'read' | 'write' | 'admin';

export interface RepoRecord {
  id: number;
  ownerId: number;
  /** The owner's login, case as registered. */
  owner: string;
  /** The owner's full name (a user's or an organization's), '' when none. */
  ownerFullName?: string;
  /** The owning organization's visibility; null when a user owns the repository. */
  orgVisibility: OrgVisibility | null;
  name: string;
  description: string;
  private: boolean;
  /**
   * A copy of the branch HEAD names, kept by the repository's Durable Object (which owns HEAD)
   * for lists and links; ask the object (RepoClient.summary) where the answer must be current.
   */
  defaultBranch: string;
  topics: string[];
  createdAt: string;
  updatedAt: string;
  /** Made as a fork of another repository. */
  fork: boolean;
  /** The repository it was forked from, while that one exists. */
  parent: RepoParent | null;
  /** Forks made of this repository (that still exist). */
  forksCount: number;
}

export interface RepoParent {
  id: number;
  owner: string;
  name: string;
  private: boolean;
}

interface RepoRow {
  id: number;
  owner_id: number;
  owner_login: string;
  owner_full_name: string | null;
  org_visibility: OrgVisibility | null;
  name: string;
  description: string;
  private: number;
  default_branch: string;
  topics: string;
  created_at: string;
  updated_at: string;
  fork_parent_id: number | null;
  parent_owner_login: string | null;
  parent_name: string | null;
  parent_private: number | null;
  forks_count: number;
}

const SELECT = `select r."id", r."owner_id", ${loginSql('u')} as owner_login, u."name" as owner_full_name,
  o."visibility" as org_visibility, r."name", r."description", r."private", r."default_branch", r."topics", r."created_at", r."updated_at",
  r."fork_parent_id", ${loginSql('pu')} as parent_owner_login, p."name" as parent_name,
  p."private" as parent_private,
  (select count(*) from "repository" f where f."fork_parent_id" = r."id") as forks_count
  from "repository" r join "user" u on u."id" = r."owner_id"
  left join "organization" o on o."id" = r."owner_id"
  left join "repository" p on p."id" = r."fork_parent_id"
  left join "user" pu on pu."id" = p."owner_id"`;

/** Granted to user ?1 (never -1): owned, shared with them, or given by one of their teams. The
 * SQL twin of computePermission (src/auth/access.ts) for lists. */
const GRANTED = `(r."owner_id" = ?1 or exists (select 1 from "collaborator" c where c."repo_id" = r."id" and c."user_id" = ?1)
  or (o."id" is not null and ${teamRankSql('r."owner_id"', '?1', 'r."id"')} > 0))`;

/** Visible to `viewer` (a user id, or -1 for nobody): granted, or public and owned by a user or
 * an organization the viewer may see. */
const VISIBLE = `(${GRANTED} or (r."private" = 0 and (o."id" is null or o."visibility" = 'public'
  or (o."visibility" = 'limited' and ?1 <> -1) or ${memberSql('o."id"', '?1')})))`;

function parseTopics(s: string): string[] {
  try {
    const v: unknown = JSON.parse(s);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function toRepo(r: RepoRow): RepoRecord {
  return {
    id: Number(r.id),
    ownerId: Number(r.owner_id),
    owner: r.owner_login,
    ownerFullName: r.owner_full_name ?? '',
    orgVisibility: r.org_visibility ?? null,
    name: r.name,
    description: r.description,
    private: !!r.private,
    defaultBranch: r.default_branch,
    topics: parseTopics(r.topics),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    fork: r.fork_parent_id !== null,
    parent:
      r.fork_parent_id !== null && r.parent_name !== null && r.parent_owner_login !== null
        ? {
            id: Number(r.fork_parent_id),
            owner: r.parent_owner_login,
            name: r.parent_name,
            private: !!r.parent_private,
          }
        : null,
    forksCount: Number(r.forks_count),
  };
}

/** The repository owner/name, or the one that moved away from that name (transfer). */
export async function findRepo(db: D1Database, owner: string, name: string): Promise<RepoRecord | null> {
  const r = await db
    .prepare(`${SELECT} where u."id" = ${accountIdSql('?1')} and r."lower_name" = ?2`)
    .bind(owner.toLowerCase(), name.toLowerCase())
    .first<RepoRow>();
  if (r) return toRepo(r);
  const moved = await redirectedRepoId(db, accountIdSql('?1'), owner, name);
  return moved === null ? null : findRepoById(db, moved);
}

export async function findRepoById(db: D1Database, id: number): Promise<RepoRecord | null> {
  const r = await db.prepare(`${SELECT} where r."id" = ?`).bind(id).first<RepoRow>();
  return r ? toRepo(r) : null;
}

export interface NewRepo {
  ownerId: number;
  name: string;
  description: string;
  private: boolean;
  defaultBranch: string;
  /** The repository this one is a fork of. */
  forkParentId?: number;
}

/** Inserts a repository; null when the owner already has one of that name (any case). */
export async function insertRepo(db: D1Database, repo: NewRepo): Promise<RepoRecord | null> {
  const now = new Date().toISOString();
  const r = await db
    .prepare(
      `insert into "repository" ("owner_id", "name", "lower_name", "description", "private", "default_branch", "created_at", "updated_at", "fork_parent_id")
       values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing returning "id"`,
    )
    .bind(
      repo.ownerId,
      repo.name,
      repo.name.toLowerCase(),
      repo.description,
      repo.private ? 1 : 0,
      repo.defaultBranch,
      now,
      now,
      repo.forkParentId ?? null,
    )
    .first<{ id: number }>();
  if (!r) return null;
  await endRedirectStatement(db, repo.ownerId, repo.name.toLowerCase()).run();
  return findRepoById(db, Number(r.id));
}

export interface RepoChanges {
  name?: string;
  description?: string;
  private?: boolean;
  topics?: string[];
}

/** Applies changes; 'conflict' when a rename collides with another repository of the owner. */
export async function updateRepo(db: D1Database, id: number, ch: RepoChanges): Promise<'ok' | 'conflict'> {
  const sets: string[] = [];
  const args: (string | number)[] = [];
  if (ch.name !== undefined) {
    sets.push(`"name" = ?`, `"lower_name" = ?`);
    args.push(ch.name, ch.name.toLowerCase());
  }
  if (ch.description !== undefined) {
    sets.push(`"description" = ?`);
    args.push(ch.description);
  }
  if (ch.private !== undefined) {
    sets.push(`"private" = ?`);
    args.push(ch.private ? 1 : 0);
  }
  if (ch.topics !== undefined) {
    sets.push(`"topics" = ?`);
    args.push(JSON.stringify(ch.topics));
  }
  if (sets.length === 0) return 'ok';
  sets.push(`"updated_at" = ?`);
  args.push(new Date().toISOString(), id);
  const r = await db
    .prepare(`update or ignore "repository" set ${sets.join(', ')} where "id" = ?`)
    .bind(...args)
    .run();
  return (r.meta.changes ?? 0) > 0 ? 'ok' : 'conflict';
}

/** Deletes the repository's rows; `also` runs in the same batch (e.g. recording its R2 prefixes). */
export async function deleteRepo(
  db: D1Database,
  id: number,
  also: D1PreparedStatement[] = [],
): Promise<void> {
  await db.batch([
    ...also,
    db.prepare(`delete from "collaborator" where "repo_id" = ?`).bind(id),
    db.prepare(`delete from "team_repo" where "repo_id" = ?`).bind(id),
    db.prepare(`delete from "repo_redirect" where "repo_id" = ?`).bind(id),
    db.prepare(`delete from "repository" where "id" = ?`).bind(id),
  ]);
}

export interface Page {
  limit: number;
  offset: number;
}

const FIRST_PAGE: Page = { limit: 100, offset: 0 };

/** A user's repositories that `viewerId` may see (null: anonymous). */
export async function listOwnerRepos(
  db: D1Database,
  ownerId: number,
  viewerId: number | null,
  page: Page = FIRST_PAGE,
): Promise<RepoRecord[]> {
  const { results } = await db
    .prepare(`${SELECT} where r."owner_id" = ?2 and ${VISIBLE} order by r."lower_name" limit ?3 offset ?4`)
    .bind(viewerId ?? -1, ownerId, page.limit, page.offset)
    .all<RepoRow>();
  return results.map(toRepo);
}

/** Repositories a user owns, collaborates on, or reaches through a team. */
export async function listUserRepos(
  db: D1Database,
  userId: number,
  page: Page = FIRST_PAGE,
): Promise<RepoRecord[]> {
  const { results } = await db
    .prepare(
      `${SELECT} where ${GRANTED}
       order by owner_login collate nocase, r."lower_name" limit ?2 offset ?3`,
    )
    .bind(userId, page.limit, page.offset)
    .all<RepoRow>();
  return results.map(toRepo);
}

/** Ids of the repositories visible to the viewer (of one owner when given), most recently updated first. */
export async function visibleRepoIds(
  db: D1Database,
  viewerId: number | null,
  owner: string | null,
  limit: number,
): Promise<number[]> {
  const { results } = await db
    .prepare(
      `select r."id" from "repository" r join "user" u on u."id" = r."owner_id"
       left join "organization" o on o."id" = r."owner_id"
       where ${VISIBLE} and (?2 is null or u."username" = lower(?2))
       order by r."updated_at" desc, r."id" desc limit ?3`,
    )
    .bind(viewerId ?? -1, owner, limit)
    .all<{ id: number }>();
  return results.map((r) => Number(r.id));
}

/** Repositories visible to the viewer whose name (or owner/name) contains `q`. */
export async function searchRepos(
  db: D1Database,
  q: string,
  viewerId: number | null,
  limit: number,
  offset: number,
): Promise<RepoRecord[]> {
  const pattern = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const { results } = await db
    .prepare(
      `${SELECT} where ${VISIBLE} and (r."lower_name" like ?2 escape '\\' or r."description" like ?2 escape '\\')
       order by r."updated_at" desc, r."id" desc limit ?3 offset ?4`,
    )
    .bind(viewerId ?? -1, pattern, limit, offset)
    .all<RepoRow>();
  return results.map(toRepo);
}

export async function findCollaboratorPermission(
  db: D1Database,
  repoId: number,
  userId: number,
): Promise<CollaboratorPermission | null> {
  const r = await db
    .prepare(`select "permission" from "collaborator" where "repo_id" = ? and "user_id" = ?`)
    .bind(repoId, userId)
    .first<{ permission: CollaboratorPermission }>();
  return r?.permission ?? null;
}

export async function upsertCollaborator(
  db: D1Database,
  repoId: number,
  userId: number,
  permission: CollaboratorPermission,
): Promise<void> {
  await db
    .prepare(
      `insert into "collaborator" ("repo_id", "user_id", "permission", "created_at") values (?, ?, ?, ?)
       on conflict ("repo_id", "user_id") do update set "permission" = excluded."permission"`,
    )
    .bind(repoId, userId, permission, new Date().toISOString())
    .run();
}

export async function deleteCollaborator(db: D1Database, repoId: number, userId: number): Promise<boolean> {
  const r = await db
    .prepare(`delete from "collaborator" where "repo_id" = ? and "user_id" = ?`)
    .bind(repoId, userId)
    .run();
  return (r.meta.changes ?? 0) > 0;
}

export interface CollaboratorRecord {
  userId: number;
  login: string;
  fullName: string;
  permission: CollaboratorPermission;
}

export async function listCollaborators(db: D1Database, repoId: number): Promise<CollaboratorRecord[]> {
  const { results } = await db
    .prepare(
      `select u."id", ${loginSql('u')} as login, u."name", c."permission"
       from "collaborator" c join "user" u on u."id" = c."user_id" where c."repo_id" = ? order by u."username"`,
    )
    .bind(repoId)
    .all<{ id: number; login: string; name: string; permission: CollaboratorPermission }>();
  return results.map((r) => ({
    userId: Number(r.id),
    login: r.login,
    fullName: r.name,
    permission: r.permission,
  }));
}

/** The copy of HEAD's branch (written at creation, then only by the repository's object). */
export async function findCachedDefaultBranch(db: D1Database, id: number): Promise<string | null> {
  const r = await db
    .prepare(`select "default_branch" from "repository" where "id" = ?`)
    .bind(id)
    .first<{ default_branch: string }>();
  return r?.default_branch ?? null;
}

/** Called by the repository's object after HEAD moved. */
export async function cacheDefaultBranch(db: D1Database, id: number, branch: string): Promise<void> {
  await db.prepare(`update "repository" set "default_branch" = ? where "id" = ?`).bind(branch, id).run();
}

/** Forks of a repository that `viewerId` may see (null: anonymous), oldest first. */
export async function listForks(
  db: D1Database,
  parentId: number,
  viewerId: number | null,
  page: Page = FIRST_PAGE,
): Promise<RepoRecord[]> {
  const { results } = await db
    .prepare(`${SELECT} where r."fork_parent_id" = ?2 and ${VISIBLE} order by r."id" limit ?3 offset ?4`)
    .bind(viewerId ?? -1, parentId, page.limit, page.offset)
    .all<RepoRow>();
  return results.map(toRepo);
}

/** The fork of a repository an owner has, if any (a user forks a repository once). */
export async function findForkByOwner(
  db: D1Database,
  parentId: number,
  ownerId: number,
): Promise<RepoRecord | null> {
  const r = await db
    .prepare(`${SELECT} where r."fork_parent_id" = ? and r."owner_id" = ? order by r."id" limit 1`)
    .bind(parentId, ownerId)
    .first<RepoRow>();
  return r ? toRepo(r) : null;
}
