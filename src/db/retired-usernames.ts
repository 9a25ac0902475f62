// Usernames an account gave up by renaming itself. They stay the account's: nobody else can sign
// up or rename to them, and its old repository URLs keep answering for it (as GitHub does).
import { loginOf } from './users';

/** The account that gave up this username, if one did. */
export async function retiredNameHolder(db: D1Database, lowerName: string): Promise<number | null> {
  const r = await db
    .prepare(`select "user_id" from "retired_username" where "lower_name" = ?`)
    .bind(lowerName.toLowerCase())
    .first<{ user_id: number }>();
  return r ? Number(r.user_id) : null;
}

/** Keeps `lowerName` for the account that is renaming itself away from it. */
export async function retireUsername(db: D1Database, userId: number, lowerName: string): Promise<void> {
  await db
    .prepare(
      `insert into "retired_username" ("lower_name", "user_id", "retired_at") values (?, ?, ?)
       on conflict ("lower_name") do nothing`,
    )
    .bind(lowerName.toLowerCase(), userId, new Date().toISOString())
    .run();
}

/** The account took one of its old names back: it is a current username again. */
export async function reclaimUsername(db: D1Database, userId: number, lowerName: string): Promise<void> {
  await db
    .prepare(`delete from "retired_username" where "lower_name" = ? and "user_id" = ?`)
    .bind(lowerName.toLowerCase(), userId)
    .run();
}

/** SQL for the id of the account a (lower-cased) name in parameter `param` names now or named
 * before a rename; null when none. */
export function accountIdSql(param: string): string {
  return `coalesce((select "id" from "user" where "username" = ${param}),
    (select "user_id" from "retired_username" where "lower_name" = ${param}))`;
}

/** The current login of the account that gave up `name`, when `name` is not a username now. */
export async function renamedLogin(db: D1Database, name: string): Promise<string | null> {
  const r = await db
    .prepare(
      `select u."username", u."displayUsername" from "retired_username" t join "user" u on u."id" = t."user_id"
       where t."lower_name" = ?1 and not exists (select 1 from "user" where "username" = ?1)`,
    )
    .bind(name.toLowerCase())
    .first<{ username: string; displayUsername: string | null }>();
  return r ? loginOf(r) : null;
}
