// The production ref store on a real Durable Object's SQLite (Miniflare, workerd): the same rule
// table as the planner and the in-memory store, compare-and-swap under concurrent calls, and the
// push's pack published or dropped with the update.
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScratchMiniflare, startMiniflare } from '../../test/helpers/miniflare';
import { A, B, C, cmd, REF_PLAN_CASES, refsAfter, Z } from '../../test/unit/ref-plan-cases';
import type { RefStoreObject, SchemaObject } from '../../test/unit/ref-store-worker';

let runtime: ScratchMiniflare;
let namespace: DurableObjectNamespace<RefStoreObject>;

/** The test object bundled into one module (workerd runs JavaScript, not TypeScript). */
async function bundle(): Promise<string> {
  const out = await build({
    configFile: false,
    logLevel: 'silent',
    // Packages (pako) bundled in; only the runtime's own modules stay imports.
    ssr: { noExternal: true },
    build: {
      write: false,
      minify: false,
      ssr: 'test/unit/ref-store-worker.ts',
      rollupOptions: { external: ['cloudflare:workers', /^node:/], output: { format: 'es' } },
    },
  });
  const [result] = Array.isArray(out) ? out : [out];
  if (!('output' in result)) throw new Error('vite build returned a watcher');
  return result.output[0].code;
}

beforeAll(async () => {
  runtime = startMiniflare({
    modules: true,
    script: await bundle(),
    // Named, so that its imports of the runtime's modules (node:zlib) resolve.
    scriptPath: 'ref-store-worker.js',
    compatibilityDate: '2026-04-22',
    compatibilityFlags: ['nodejs_compat'],
    durableObjects: {
      REFS: { className: 'RefStoreObject', useSQLite: true },
      SCHEMA: { className: 'SchemaObject', useSQLite: true },
    },
  });
  namespace = (await runtime.mf.getDurableObjectNamespace(
    'REFS',
  )) as unknown as DurableObjectNamespace<RefStoreObject>;
  // Bundling and starting workerd take seconds: more than the default 10 s on a busy machine.
}, 180_000);

afterAll(async () => {
  await runtime?.dispose();
});

/** A fresh repository's ref store per name. */
function repo(name: string): DurableObjectStub<RefStoreObject> {
  return namespace.get(namespace.idFromName(name));
}

describe('SqlRefStore in a Durable Object', () => {
  for (const c of REF_PLAN_CASES) {
    it(`follows the rules: ${c.title}`, async () => {
      const refs = repo(`case ${c.title}`);
      const head = c.head ?? 'refs/heads/main';
      await refs.seed({ ...c.refs }, head);
      const pack = await refs.newPack();
      const results = await refs.update([...c.commands], { atomic: c.atomic ?? false, publishPackId: pack });
      expect(results.map((r) => (r.ok ? 'ok' : r.code))).toEqual(c.expect);
      for (const [i, reason] of Object.entries(c.reasons ?? {})) {
        expect(results[Number(i)]).toMatchObject({ ok: false, reason });
      }
      expect(await refs.list()).toEqual(refsAfter(c));
      expect(await refs.headTarget()).toBe(c.headAfter ?? head);
      // The pack becomes visible with the first applied command, or is dropped with the batch.
      expect(await refs.packState(pack)).toBe(c.expect.includes('ok') ? 'live' : null);
    });
  }

  it('lets exactly one of many concurrent updates from the same old value through', async () => {
    const refs = repo('concurrent');
    await refs.seed({ 'refs/heads/main': A }, 'refs/heads/main');
    const targets = Array.from({ length: 8 }, (_, i) => `${i + 1}`.repeat(40));
    const results = await Promise.all(
      targets.map((t) => refs.update([cmd('refs/heads/main', A, t)], { atomic: false })),
    );
    const winners = results.flatMap((r, i) => (r[0].ok ? [targets[i]] : []));
    expect(winners.length).toBe(1);
    for (const [r] of results.filter(([x]) => !x.ok)) {
      expect(r).toMatchObject({
        code: 'INCORRECT_OLD_VALUE',
        reason: `cannot lock ref 'refs/heads/main': is at ${winners[0]} but expected ${A}`,
      });
    }
    expect(await refs.list()).toEqual([{ name: 'refs/heads/main', oid: winners[0] }]);
  });

  it('moves HEAD only while the repository has no refs', async () => {
    const refs = repo('head');
    await refs.seed({}, 'refs/heads/main');
    await refs.update([cmd('refs/heads/b', Z, A), cmd('refs/heads/a', Z, B)], { atomic: false });
    expect(await refs.headTarget()).toBe('refs/heads/a');
    await refs.update([cmd('refs/heads/a', B, Z)], { atomic: false });
    expect(await refs.headTarget()).toBe('refs/heads/a');
    await refs.update([cmd('refs/heads/b', A, Z)], { atomic: false });
    // Empty again: the next first push moves HEAD again, as into a new repository.
    await refs.update([cmd('refs/heads/c', Z, C)], { atomic: false });
    expect(await refs.headTarget()).toBe('refs/heads/c');
  });

  it('keeps peeled values of tags', async () => {
    const refs = repo('peeled');
    await refs.seed({}, 'refs/heads/main');
    await refs.update([{ name: 'refs/tags/v1', oldOid: Z, newOid: C, peeled: A }], { atomic: false });
    expect(await refs.list()).toEqual([{ name: 'refs/tags/v1', oid: C, peeled: A }]);
  });

  it('keeps the mark of a ref naming no tag, and what a listing found of a ref still at its value', async () => {
    const refs = repo('not-tag');
    await refs.seed({ 'refs/tags/light': A, 'refs/tags/moved': B, 'refs/tags/ann': C }, 'refs/heads/main');
    await refs.update([{ name: 'refs/tags/pushed', oldOid: Z, newOid: B, notTag: true }], { atomic: false });
    await refs.rememberPeeled([
      { name: 'refs/tags/light', oid: A, notTag: true },
      // Found at C, but the ref is at B now: nothing is kept.
      { name: 'refs/tags/moved', oid: C, notTag: true },
      { name: 'refs/tags/ann', oid: C, peeled: A },
      // Known already: the row stays as it is.
      { name: 'refs/tags/pushed', oid: B, peeled: A },
    ]);
    expect(await refs.list()).toEqual([
      { name: 'refs/tags/ann', oid: C, peeled: A },
      { name: 'refs/tags/light', oid: A, notTag: true },
      { name: 'refs/tags/moved', oid: B },
      { name: 'refs/tags/pushed', oid: B, notTag: true },
    ]);
  });
});

describe('SqlPackWriter in a Durable Object', () => {
  it('seals a big pack index without holding the thread, and finds every entry after', async () => {
    // 200,000 entries: three sorted runs and a rest, merged on the first lookup.
    const r = await repo('seal-paced').firstLookupBesideTimer(200_000, 997);
    // Another request (here a timer) ran while the runs were merged (it waited for all of them).
    expect(r.firedBefore).toBe(true);
    expect(r.wrong).toBe(0);
    expect(r.found).toBe(Math.ceil(200_000 / 997));
  }, 120_000);
});

describe('SqlPackStore lookups in a Durable Object', () => {
  it('answers many ids at once as one at a time, neighbouring index chunks read together', async () => {
    const r = await repo('lookup-many').lookupManyAgainstOneByOne();
    expect(r.differ).toEqual([]);
    // Every asked id of the two packs, none of the 50 absent ones nor the non-id.
    expect(r.found).toBe(r.asked - 51);
    // The second pack answers for its own 300 only: the shared ids are the first's (the larger).
    expect(r.second).toBe(300);
  }, 60_000);
});

describe('SqlCommitGraph in a Durable Object', () => {
  it('reads first-parent chains a query at a time, each row as it was added', async () => {
    const r = await repo('commit-graph').commitGraphReads(400);
    expect(r.wrong).toEqual([]);
    // 401 commits: the top, the side commit, then the first-parent chain of 399, 32 rows a query
    // (a query per commit before: 401).
    expect(r.queries).toBeGreaterThan(2);
    expect(r.queries).toBeLessThanOrEqual(2 + Math.ceil(399 / 31));
    expect(r.later).toBe(77);
    expect(r.absent).toBeNull();
  });

  it('asks once for a commit it does not hold, and answers with the row once it is added', async () => {
    const r = await repo('commit-graph-first-walk').commitGraphFirstWalk(300);
    expect(r.wrong).toEqual([]);
    // One query per commit (its miss as a parent, or the top's own); two before (the commit's own
    // miss again after its parent's), besides the 300 inserts.
    expect(r.queries).toBe(300);
  });
});

describe('the runtime zlib', () => {
  it('is the reused native stream in workerd, for indexing and for reading objects', async () => {
    const r = await repo('native-zlib').nativeZlib();
    expect(r).toEqual({ indexer: 'NativeInflater', roundTrip: true });
  });
});

describe('the repository schema', () => {
  it('moves pack bytes and index rows into tables with rowids, every row kept', async () => {
    const ns = (await runtime.mf.getDurableObjectNamespace(
      'SCHEMA',
    )) as unknown as DurableObjectNamespace<SchemaObject>;
    const r = await ns.get(ns.idFromName('schema')).lastStepKeepsPackRows();
    expect(r.chunks).toEqual(['0:65536:1', '1:65536:2', '2:65536:3']);
    expect(r.index).toEqual(['0:2432:7', '1:2432:8', '2:2432:9']);
    expect(r.tables).toHaveLength(2);
    for (const t of r.tables) {
      expect(t).toContain('PRIMARY KEY');
      expect(t).not.toMatch(/WITHOUT ROWID/i);
    }
  });
});
