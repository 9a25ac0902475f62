// Drift guard: every table and column Better Auth expects (with the plugins we use, OIDC on) must
// exist in migrations/0001_init.sql. Regenerate with GITFLARE_PRINT_AUTH_SQL=1 if this fails.
import { readFileSync } from 'node:fs';
import { getMigrations } from 'better-auth/db/migration';
import { expect, test } from 'vitest';
import { buildAuthOptions } from './options';

/** A D1 stand-in holding no tables: the migration planner then lists the whole schema. */
function emptyD1() {
  const stmt = {
    bind: () => stmt,
    all: async () => ({ results: [], meta: {} }),
    run: async () => ({ results: [], meta: {} }),
    raw: async () => [],
    first: async () => null,
  };
  return {
    prepare: () => stmt,
    batch: async (s: unknown[]) => s.map(() => ({ results: [] })),
    exec: async () => ({}),
  };
}

test('the D1 migrations hold every table and column Better Auth uses', async () => {
  const options = buildAuthOptions(
    {
      secret: 'x'.repeat(32),
      baseURL: null,
      github: { clientId: 'a', clientSecret: 'b' },
      oidc: { clientId: 'a', clientSecret: 'b', discoveryUrl: 'http://x/', providerId: 'oidc', name: 'OIDC' },
    },
    emptyD1() as never,
    'http://localhost',
    {
      usernameTaken: async () => false,
      retiredNameHolder: async () => null,
      recordRename: async () => undefined,
    },
  );
  const plan = await getMigrations(options as never);
  if (process.env.GITFLARE_PRINT_AUTH_SQL) console.log(await plan.compileMigrations());
  const sql = readFileSync(new URL('../../migrations/0001_init.sql', import.meta.url), 'utf8');
  expect(plan.toBeCreated.length).toBeGreaterThan(3);
  for (const t of plan.toBeCreated) {
    const m = sql.match(new RegExp(`create table "${t.table}" \\(([\\s\\S]*?)\\);`, 'i'));
    expect(m, `table ${t.table}`).not.toBeNull();
    for (const [key, field] of Object.entries(t.fields)) {
      const col = field.fieldName ?? key;
      expect(m![1], `${t.table}.${col}`).toContain(`"${col}"`);
    }
  }
});
