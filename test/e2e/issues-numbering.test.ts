// Issues and pull requests share one number sequence per repository: createIssue() (the function
// the pull-request code calls) against a real D1 (Miniflare, with the project's migrations),
// mixing issue and pull rows, concurrently, across two repositories.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createIssue, getIssueByNumber, listIssues } from '../../src/db/issues';
import { type ScratchMiniflare, startMiniflare } from '../helpers/miniflare';

let runtime: ScratchMiniflare;
let db: D1Database;

beforeAll(async () => {
  runtime = startMiniflare({
    modules: true,
    script: 'export default { fetch() { return new Response(null, { status: 404 }); } }',
    d1Databases: ['DB'],
  });
  db = (await runtime.mf.getD1Database('DB')) as unknown as D1Database;
  const dir = join(process.cwd(), 'migrations');
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    const sql = readFileSync(join(dir, file), 'utf8').replace(/^\s*--.*$/gm, '');
    for (const statement of sql
      .split(';')
      .map((s) => s.trim())
      .filter(Boolean)) {
      await db.prepare(statement).run();
    }
  }
  const now = new Date().toISOString();
  await db
    .prepare(
      `insert into "user" ("id", "name", "email", "emailVerified", "createdAt", "updatedAt", "username") values (1, 'a', 'a@x', 0, ?, ?, 'a')`,
    )
    .bind(now, now)
    .run();
  for (const id of [1, 2]) {
    await db
      .prepare(
        `insert into "repository" ("id", "owner_id", "name", "lower_name", "created_at", "updated_at") values (?, 1, ?, ?, ?, ?)`,
      )
      .bind(id, `r${id}`, `r${id}`, now, now)
      .run();
  }
}, 60_000);

afterAll(async () => {
  await runtime?.dispose();
});

test('issues and pull requests draw from one sequence per repository, without gaps or duplicates', async () => {
  const made = await Promise.all(
    Array.from({ length: 12 }, (_, i) =>
      createIssue(db, { repoId: 1 + (i % 2), authorId: 1, title: `t${i}`, body: '', isPull: i % 3 === 0 }),
    ),
  );
  const byRepo = (repo: number) =>
    made
      .filter((_, i) => 1 + (i % 2) === repo)
      .map((m) => m.number)
      .sort((a, b) => a - b);
  expect(byRepo(1)).toEqual([1, 2, 3, 4, 5, 6]);
  expect(byRepo(2)).toEqual([1, 2, 3, 4, 5, 6]);
  const pulls = await listIssues(db, 1, { state: 'all', isPull: true, limit: 50, offset: 0 });
  const plain = await listIssues(db, 1, { state: 'all', isPull: false, limit: 50, offset: 0 });
  expect(pulls.total + plain.total).toBe(6);
  expect(pulls.total).toBeGreaterThan(0);
  const next = await createIssue(db, { repoId: 1, authorId: 1, title: 'pr', body: 'b', isPull: true });
  expect(next.number).toBe(7);
  const row = await getIssueByNumber(db, 1, 7);
  expect(row).toMatchObject({ id: next.id, isPull: true, title: 'pr', author: 'a', state: 'open' });
});
