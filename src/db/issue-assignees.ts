// Who is assigned to issues, and who may be.

import { IN_LIST, listArg } from './sql-list';
import { loginSql } from './users';

export interface AssigneeRecord {
  id: number;
  login: string;
}

const LOGIN = loginSql('u');

/** The assignees of each of the issues, by issue id. */
export async function assigneesOfIssues(
  db: D1Database,
  issueIds: number[],
): Promise<Map<number, AssigneeRecord[]>> {
  const out = new Map<number, AssigneeRecord[]>();
  if (issueIds.length === 0) return out;
  const { results } = await db
    .prepare(
      `select a."issue_id", u."id", ${LOGIN} as login from "issue_assignee" a join "user" u on u."id" = a."user_id"
       where a."issue_id" in (${issueIds.map(() => '?').join(', ')}) order by u."username"`,
    )
    .bind(...issueIds)
    .all<{ issue_id: number; id: number; login: string }>();
  for (const r of results) {
    const list = out.get(Number(r.issue_id)) ?? [];
    list.push({ id: Number(r.id), login: r.login });
    out.set(Number(r.issue_id), list);
  }
  return out;
}

/**
 * The users among `logins` (any case) who may be assigned in the repository: its owner and
 * collaborators with write access, as Gitea allows. Callers compare counts to spot the others.
 */
export async function findAssignableUsers(
  db: D1Database,
  repoId: number,
  logins: string[],
): Promise<AssigneeRecord[]> {
  if (logins.length === 0) return [];
  const { results } = await db
    .prepare(
      `select u."id", ${LOGIN} as login from "user" u, "repository" r where r."id" = ?
       and u."username" in ${IN_LIST}
       and (u."id" = r."owner_id" or exists (select 1 from "collaborator" c where c."repo_id" = r."id"
         and c."user_id" = u."id" and c."permission" in ('write', 'admin')))`,
    )
    .bind(repoId, listArg(logins.map((l) => l.toLowerCase())))
    .all<{ id: number; login: string }>();
  return results.map((r) => ({ id: Number(r.id), login: r.login }));
}

/** Statements that make the issue's assignees exactly `userIds` (for a batch). */
export function replaceAssigneesStatements(
  db: D1Database,
  issueId: number,
  userIds: number[],
): D1PreparedStatement[] {
  return [
    db.prepare(`delete from "issue_assignee" where "issue_id" = ?`).bind(issueId),
    ...userIds.map((id) =>
      db
        .prepare(`insert into "issue_assignee" ("issue_id", "user_id") values (?, ?) on conflict do nothing`)
        .bind(issueId, id),
    ),
  ];
}
