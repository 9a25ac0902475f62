// Organizations: a "user" row (the namespace, the owner of repositories) plus an "organization"
// row (what only an organization has); see migrations/0005_orgs.sql.
import { loginSql } from './users';

export type OrgVisibility = 'public' | 'limited' | 'private';
export const ORG_VISIBILITIES: readonly OrgVisibility[] = ['public', 'limited', 'private'];

export interface OrgRecord {
  id: number;
  /** The organization's name, case as created. */
  login: string;
  fullName: string;
  email: string;
  description: string;
  website: string;
  location: string;
  visibility: OrgVisibility;
  repoAdminChangeTeamAccess: boolean;
  createdAt: string;
}

interface OrgRow {
  id: number;
  login: string;
  name: string;
  email: string;
  description: string;
  website: string;
  location: string;
  visibility: OrgVisibility;
  repo_admin_change_team_access: number;
  created_at: string;
}

const SELECT = `select u."id", ${loginSql('u')} as login, u."name", o."email", o."description", o."website",
  o."location", o."visibility", o."repo_admin_change_team_access", o."created_at"
  from "organization" o join "user" u on u."id" = o."id"`;

function toOrg(r: OrgRow): OrgRecord {
  return {
    id: Number(r.id),
    login: r.login,
    fullName: r.name,
    email: r.email,
    description: r.description,
    website: r.website,
    location: r.location,
    visibility: r.visibility,
    repoAdminChangeTeamAccess: r.repo_admin_change_team_access !== 0,
    createdAt: r.created_at,
  };
}

export async function findOrgByName(db: D1Database, name: string): Promise<OrgRecord | null> {
  const r = await db.prepare(`${SELECT} where u."username" = ?`).bind(name.toLowerCase()).first<OrgRow>();
  return r ? toOrg(r) : null;
}

export async function findOrgById(db: D1Database, id: number): Promise<OrgRecord | null> {
  const r = await db.prepare(`${SELECT} where o."id" = ?`).bind(id).first<OrgRow>();
  return r ? toOrg(r) : null;
}

export async function isOrg(db: D1Database, id: number): Promise<boolean> {
  return (await db.prepare(`select 1 as x from "organization" where "id" = ?`).bind(id).first()) !== null;
}

export interface OrgFields {
  fullName?: string;
  email?: string;
  description?: string;
  website?: string;
  location?: string;
  visibility?: OrgVisibility;
  repoAdminChangeTeamAccess?: boolean;
}

/**
 * Creates the organization with its Owners team holding `creatorId`, all in one transaction;
 * null when the name was taken meanwhile (the unique username). The caller checks the name's
 * rules and the namespace first (src/services/namespace.ts).
 */
export async function insertOrg(
  db: D1Database,
  login: string,
  creatorId: number,
  f: OrgFields,
): Promise<OrgRecord | null> {
  const now = new Date().toISOString();
  const lower = login.toLowerCase();
  const idOf = `(select "id" from "user" where "username" = ?1)`;
  try {
    await db.batch([
      db
        .prepare(
          `insert into "user" ("name", "email", "emailVerified", "createdAt", "updatedAt", "username", "displayUsername")
           values (?2, ?3, 0, ?4, ?4, ?1, ?5)`,
        )
        // A placeholder nobody can receive mail at: Better Auth needs a unique email per row.
        .bind(lower, f.fullName ?? '', `org-${crypto.randomUUID()}@organizations.invalid`, now, login),
      db
        .prepare(
          `insert into "organization" ("id", "email", "description", "website", "location", "visibility",
           "repo_admin_change_team_access", "created_at") values (${idOf}, ?2, ?3, ?4, ?5, ?6, ?7, ?8)`,
        )
        .bind(
          lower,
          f.email ?? '',
          f.description ?? '',
          f.website ?? '',
          f.location ?? '',
          f.visibility ?? 'public',
          f.repoAdminChangeTeamAccess ? 1 : 0,
          now,
        ),
      db
        .prepare(
          `insert into "team" ("org_id", "name", "lower_name", "permission", "includes_all_repositories",
           "can_create_org_repo", "created_at") values (${idOf}, 'Owners', 'owners', 'owner', 1, 1, ?2)`,
        )
        .bind(lower, now),
      db
        .prepare(
          `insert into "team_user" ("team_id", "user_id")
           select t."id", ?2 from "team" t where t."org_id" = ${idOf} and t."permission" = 'owner'`,
        )
        .bind(lower, creatorId),
    ]);
  } catch (err) {
    if (String(err).includes('UNIQUE')) return null;
    throw err;
  }
  return findOrgByName(db, login);
}

export async function updateOrg(db: D1Database, id: number, f: OrgFields): Promise<void> {
  const bool = f.repoAdminChangeTeamAccess === undefined ? null : f.repoAdminChangeTeamAccess ? 1 : 0;
  await db.batch([
    db
      .prepare(`update "user" set "name" = coalesce(?2, "name"), "updatedAt" = ?3 where "id" = ?1`)
      .bind(id, f.fullName ?? null, new Date().toISOString()),
    db
      .prepare(
        `update "organization" set "email" = coalesce(?2, "email"), "description" = coalesce(?3, "description"),
         "website" = coalesce(?4, "website"), "location" = coalesce(?5, "location"),
         "visibility" = coalesce(?6, "visibility"),
         "repo_admin_change_team_access" = coalesce(?7, "repo_admin_change_team_access") where "id" = ?1`,
      )
      .bind(
        id,
        f.email ?? null,
        f.description ?? null,
        f.website ?? null,
        f.location ?? null,
        f.visibility ?? null,
        bool,
      ),
  ]);
}

/** Deletes an organization that owns no repository (else false, nothing changed): its teams and
 * memberships go with it. Refusing while repositories exist is Gitea's rule, and keeps each
 * repository's Durable Object from outliving its row. */
export async function deleteOrgWithoutRepos(db: D1Database, id: number): Promise<boolean> {
  const r = await db
    .prepare(
      `delete from "user" where "id" = ?1 and exists (select 1 from "organization" where "id" = ?1)
       and not exists (select 1 from "repository" where "owner_id" = ?1)`,
    )
    .bind(id)
    .run();
  return (r.meta.changes ?? 0) > 0;
}

/** SQL: whether user `userParam` belongs to a team of organization `orgExpr`. */
export function memberSql(orgExpr: string, userParam: string): string {
  return `exists (select 1 from "team" mt join "team_user" mu on mu."team_id" = mt."id"
    where mt."org_id" = ${orgExpr} and mu."user_id" = ${userParam})`;
}

/** SQL: whether organization row alias `o` is visible to viewer `viewerParam` (-1: anonymous). */
export function orgVisibleSql(o: string, viewerParam: string): string {
  return `(${o}."visibility" = 'public' or (${o}."visibility" = 'limited' and ${viewerParam} <> -1)
    or ${memberSql(`${o}."id"`, viewerParam)})`;
}

/** Organizations `userId` belongs to that `viewerId` (-1: anonymous) may see. */
export async function listMemberOrgs(db: D1Database, userId: number, viewerId: number): Promise<OrgRecord[]> {
  const { results } = await db
    .prepare(
      `${SELECT} where ${memberSql('o."id"', '?1')} and ${orgVisibleSql('o', '?2')} order by u."username"`,
    )
    .bind(userId, viewerId)
    .all<OrgRow>();
  return results.map(toOrg);
}

/** Organizations visible to `viewerId` (-1: anonymous), for the explore page. */
export async function listVisibleOrgs(db: D1Database, viewerId: number, limit: number, offset: number) {
  const { results } = await db
    .prepare(`${SELECT} where ${orgVisibleSql('o', '?1')} order by u."username" limit ?2 offset ?3`)
    .bind(viewerId, limit, offset)
    .all<OrgRow>();
  return results.map(toOrg);
}

export interface OrgMemberRecord {
  userId: number;
  login: string;
  fullName: string;
  owner: boolean;
}

/** Everyone in a team of the organization. */
export async function listOrgMembers(db: D1Database, orgId: number): Promise<OrgMemberRecord[]> {
  const { results } = await db
    .prepare(
      `select u."id", ${loginSql('u')} as login, u."name",
       max(case when t."permission" = 'owner' then 1 else 0 end) as owner
       from "team" t join "team_user" tu on tu."team_id" = t."id" join "user" u on u."id" = tu."user_id"
       where t."org_id" = ? group by u."id" order by u."username"`,
    )
    .bind(orgId)
    .all<{ id: number; login: string; name: string; owner: number }>();
  return results.map((r) => ({
    userId: Number(r.id),
    login: r.login,
    fullName: r.name,
    owner: r.owner === 1,
  }));
}

/** Names of the organizations where `userId` may create repositories: as an owner, or in a team
 * allowed to (can_create_org_repo). */
export async function listCreatableOrgNames(db: D1Database, userId: number): Promise<string[]> {
  const { results } = await db
    .prepare(
      `select distinct ${loginSql('u')} as login from "team" t join "team_user" tu on tu."team_id" = t."id"
       join "user" u on u."id" = t."org_id" where tu."user_id" = ? and t."can_create_org_repo" = 1
       order by u."username"`,
    )
    .bind(userId)
    .all<{ login: string }>();
  return results.map((r) => r.login);
}

/** What keeps an account from being deleted: the organizations whose Owners team it is the only
 * member of (by name), and how many repositories it owns. */
export async function accountDeletionBlockers(
  db: D1Database,
  userId: number,
): Promise<{ soleOwnerOf: string[]; repos: number }> {
  const [orgs, repos] = await db.batch<{ login: string } | { n: number }>([
    db
      .prepare(
        `select ${loginSql('u')} as login from "team" t join "user" u on u."id" = t."org_id"
         where t."permission" = 'owner'
         and exists (select 1 from "team_user" tu where tu."team_id" = t."id" and tu."user_id" = ?1)
         and (select count(*) from "team_user" tu where tu."team_id" = t."id") = 1
         order by u."username"`,
      )
      .bind(userId),
    db.prepare(`select count(*) as n from "repository" where "owner_id" = ?`).bind(userId),
  ]);
  return {
    soleOwnerOf: (orgs.results as { login: string }[]).map((r) => r.login),
    repos: Number((repos.results[0] as { n: number } | undefined)?.n ?? 0),
  };
}
