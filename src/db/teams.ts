// Teams of an organization, their members and repositories; and what they grant a user on a
// repository (read by src/auth/permission.ts, the one permission decision).
import { memberSql } from './orgs';
import { loginSql } from './users';

export type TeamPermission = 'read' | 'write' | 'admin' | 'owner';

export interface TeamRecord {
  id: number;
  orgId: number;
  name: string;
  description: string;
  permission: TeamPermission;
  includesAllRepositories: boolean;
  canCreateOrgRepo: boolean;
  units: string[];
  createdAt: string;
}

interface TeamRow {
  id: number;
  org_id: number;
  name: string;
  description: string;
  permission: TeamPermission;
  includes_all_repositories: number;
  can_create_org_repo: number;
  units: string;
  created_at: string;
}

const SELECT = `select t."id", t."org_id", t."name", t."description", t."permission",
  t."includes_all_repositories", t."can_create_org_repo", t."units", t."created_at" from "team" t`;

function toTeam(r: TeamRow): TeamRecord {
  let units: string[] = [];
  try {
    const v: unknown = JSON.parse(r.units);
    if (Array.isArray(v)) units = v.filter((x): x is string => typeof x === 'string');
  } catch {
    units = [];
  }
  return {
    id: Number(r.id),
    orgId: Number(r.org_id),
    name: r.name,
    description: r.description,
    permission: r.permission,
    includesAllRepositories: r.includes_all_repositories !== 0,
    canCreateOrgRepo: r.can_create_org_repo !== 0,
    units,
    createdAt: r.created_at,
  };
}

export async function findTeam(db: D1Database, id: number): Promise<TeamRecord | null> {
  const r = await db.prepare(`${SELECT} where t."id" = ?`).bind(id).first<TeamRow>();
  return r ? toTeam(r) : null;
}

export async function listTeams(db: D1Database, orgId: number): Promise<TeamRecord[]> {
  const { results } = await db
    .prepare(`${SELECT} where t."org_id" = ? order by t."permission" = 'owner' desc, t."lower_name"`)
    .bind(orgId)
    .all<TeamRow>();
  return results.map(toTeam);
}

/** The teams of the organization `userId` belongs to. */
export async function listUserTeams(db: D1Database, orgId: number, userId: number): Promise<TeamRecord[]> {
  const { results } = await db
    .prepare(
      `${SELECT} join "team_user" tu on tu."team_id" = t."id" where t."org_id" = ? and tu."user_id" = ?
       order by t."lower_name"`,
    )
    .bind(orgId, userId)
    .all<TeamRow>();
  return results.map(toTeam);
}

export interface TeamFields {
  name?: string;
  description?: string;
  permission?: Exclude<TeamPermission, 'owner'>;
  includesAllRepositories?: boolean;
  canCreateOrgRepo?: boolean;
  units?: string[];
}

/** Null when the organization already has a team of that name (any case). */
export async function insertTeam(
  db: D1Database,
  orgId: number,
  f: TeamFields & { name: string; permission: Exclude<TeamPermission, 'owner'> },
): Promise<TeamRecord | null> {
  const r = await db
    .prepare(
      `insert into "team" ("org_id", "name", "lower_name", "description", "permission",
       "includes_all_repositories", "can_create_org_repo", "units", "created_at")
       values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing returning "id"`,
    )
    .bind(
      orgId,
      f.name,
      f.name.toLowerCase(),
      f.description ?? '',
      f.permission,
      f.includesAllRepositories ? 1 : 0,
      f.canCreateOrgRepo ? 1 : 0,
      JSON.stringify(f.units ?? []),
      new Date().toISOString(),
    )
    .first<{ id: number }>();
  return r ? findTeam(db, Number(r.id)) : null;
}

/** 'conflict' when a rename collides with another team of the organization. */
export async function updateTeam(db: D1Database, id: number, f: TeamFields): Promise<'ok' | 'conflict'> {
  const bool = (b: boolean | undefined) => (b === undefined ? null : b ? 1 : 0);
  const r = await db
    .prepare(
      `update or ignore "team" set "name" = coalesce(?2, "name"), "lower_name" = coalesce(lower(?2), "lower_name"),
       "description" = coalesce(?3, "description"), "permission" = coalesce(?4, "permission"),
       "includes_all_repositories" = coalesce(?5, "includes_all_repositories"),
       "can_create_org_repo" = coalesce(?6, "can_create_org_repo"), "units" = coalesce(?7, "units")
       where "id" = ?1`,
    )
    .bind(
      id,
      f.name ?? null,
      f.description ?? null,
      f.permission ?? null,
      bool(f.includesAllRepositories),
      bool(f.canCreateOrgRepo),
      f.units === undefined ? null : JSON.stringify(f.units),
    )
    .run();
  return (r.meta.changes ?? 0) > 0 ? 'ok' : 'conflict';
}

export async function deleteTeam(db: D1Database, id: number): Promise<void> {
  await db.batch([
    db.prepare(`delete from "team_user" where "team_id" = ?`).bind(id),
    db.prepare(`delete from "team_repo" where "team_id" = ?`).bind(id),
    db.prepare(`delete from "team" where "id" = ?`).bind(id),
  ]);
}

export interface TeamMemberRecord {
  userId: number;
  login: string;
  fullName: string;
}

export async function listTeamMembers(db: D1Database, teamId: number): Promise<TeamMemberRecord[]> {
  const { results } = await db
    .prepare(
      `select u."id", ${loginSql('u')} as login, u."name" from "team_user" tu join "user" u on u."id" = tu."user_id"
       where tu."team_id" = ? order by u."username"`,
    )
    .bind(teamId)
    .all<{ id: number; login: string; name: string }>();
  return results.map((r) => ({ userId: Number(r.id), login: r.login, fullName: r.name }));
}

export async function isTeamMember(db: D1Database, teamId: number, userId: number): Promise<boolean> {
  const r = await db
    .prepare(`select 1 as x from "team_user" where "team_id" = ? and "user_id" = ?`)
    .bind(teamId, userId)
    .first();
  return r !== null;
}

export async function addTeamMember(db: D1Database, teamId: number, userId: number): Promise<void> {
  await db
    .prepare(`insert into "team_user" ("team_id", "user_id") values (?, ?) on conflict do nothing`)
    .bind(teamId, userId)
    .run();
}

/**
 * Removes a member: 'missing' when not one; 'last-owner' (nothing changed) when it is the Owners
 * team's last member. One statement, so two owners removing each other cannot both succeed.
 */
export async function removeTeamMember(
  db: D1Database,
  teamId: number,
  userId: number,
): Promise<'ok' | 'missing' | 'last-owner'> {
  const r = await db
    .prepare(
      `delete from "team_user" where "team_id" = ?1 and "user_id" = ?2
       and not (exists (select 1 from "team" where "id" = ?1 and "permission" = 'owner')
                and (select count(*) from "team_user" where "team_id" = ?1) <= 1)`,
    )
    .bind(teamId, userId)
    .run();
  if ((r.meta.changes ?? 0) > 0) return 'ok';
  return (await isTeamMember(db, teamId, userId)) ? 'last-owner' : 'missing';
}

export async function addTeamRepo(db: D1Database, teamId: number, repoId: number): Promise<void> {
  await db
    .prepare(`insert into "team_repo" ("team_id", "repo_id") values (?, ?) on conflict do nothing`)
    .bind(teamId, repoId)
    .run();
}

export async function removeTeamRepo(db: D1Database, teamId: number, repoId: number): Promise<boolean> {
  const r = await db
    .prepare(`delete from "team_repo" where "team_id" = ? and "repo_id" = ?`)
    .bind(teamId, repoId)
    .run();
  return (r.meta.changes ?? 0) > 0;
}

export async function listTeamRepoIds(db: D1Database, teamId: number): Promise<number[]> {
  const { results } = await db
    .prepare(`select "repo_id" from "team_repo" where "team_id" = ? order by "repo_id"`)
    .bind(teamId)
    .all<{ repo_id: number }>();
  return results.map((r) => Number(r.repo_id));
}

/** SQL: the rank (0 none .. 3 admin) that `userParam`'s teams give on repository `repoExpr` of
 * organization `orgExpr`; the Owners team and includes_all_repositories teams cover every
 * repository, the others those listed in team_repo. */
export function teamRankSql(orgExpr: string, userParam: string, repoExpr: string): string {
  return `coalesce((select max(case when t."permission" in ('owner', 'admin') then 3
      when t."permission" = 'write' then 2 else 1 end)
    from "team" t join "team_user" tu on tu."team_id" = t."id"
    where t."org_id" = ${orgExpr} and tu."user_id" = ${userParam}
      and (t."permission" = 'owner' or t."includes_all_repositories" = 1
        or exists (select 1 from "team_repo" tr where tr."team_id" = t."id" and tr."repo_id" = ${repoExpr}))), 0)`;
}

export interface OrgGrant {
  /** In a team of the organization. */
  member: boolean;
  /** In the Owners team. */
  owner: boolean;
  /** The highest permission the user's teams give on the repository (none when no repository). */
  team: 'none' | 'read' | 'write' | 'admin';
}

const RANKED = ['none', 'read', 'write', 'admin'] as const;

/** What `userId` is in organization `orgId`, and what its teams give on `repoId` (or -1). */
export async function orgGrant(
  db: D1Database,
  orgId: number,
  userId: number,
  repoId: number,
): Promise<OrgGrant> {
  const r = await db
    .prepare(
      `select ${memberSql('?1', '?2')} as member,
        exists (select 1 from "team" t join "team_user" tu on tu."team_id" = t."id"
          where t."org_id" = ?1 and tu."user_id" = ?2 and t."permission" = 'owner') as owner,
        ${teamRankSql('?1', '?2', '?3')} as rank`,
    )
    .bind(orgId, userId, repoId)
    .first<{ member: number; owner: number; rank: number }>();
  return {
    member: r?.member === 1,
    owner: r?.owner === 1,
    team: RANKED[Number(r?.rank ?? 0)] ?? 'none',
  };
}
