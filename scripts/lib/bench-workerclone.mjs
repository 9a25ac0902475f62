// Benchmark rows of whole clones streamed by the Worker from R2 copies of the cached pack's packs,
// beside the repository's object serving them: one clone, and 10 at once on each path. The
// benchmark's server holds the copying back (PACK_COPY_DELAY_MS), so the repository pushed first
// is served by its object until maintenance runs; then its clones must come from the Worker
// (checked with the repository's counter, as every result is checked).

export const WORKER_CLONE_OPS = [
  ['clone-10-object', '10 full clones at once (--bare), served by the repository object'],
  ['clone-worker', 'full clone (--bare), streamed by the Worker from R2'],
  ['clone-10-worker', '10 full clones at once (--bare), streamed by the Worker from R2'],
];

const PARALLEL = 10;

/** `n` clones of `url` at once, as one result: the slowest exit code, the wall time of all. */
async function parallelClones(runGit, args, url, dirOf, timeoutMs) {
  const started = performance.now();
  const all = await Promise.all(
    Array.from({ length: PARALLEL }, (_, i) => runGit([...args, url, dirOf(i)], { timeoutMs })),
  );
  const failed = all.find((r) => r.code !== 0);
  return {
    code: failed?.code ?? 0,
    stdout: '',
    stderr: failed?.stderr ?? '',
    ms: performance.now() - started,
  };
}

async function gitflareApi(gf, user, repo, method, what) {
  const res = await fetch(`${gf.url}/api/v1/repos/${user.username}/${repo}/git/${what}`, {
    method,
    headers: { Authorization: `token ${user.token}` },
  });
  if (!res.ok) throw new Error(`${method} git/${what}: ${res.status} ${await res.text()}`);
  return res.json();
}

/**
 * The rows for one size. `c` carries the benchmark's helpers and this size's setting: servers
 * [cgit, gitflare], readUrl(server), the Gitflare repository's name, the refs wanted, a directory
 * for clones, and interleaved/measure/runGit/localRefs/sameRefs/log.
 */
export async function benchWorkerClone(c) {
  const { size, servers, readUrl, repo, user, want, clients, timeoutMs, v2, rm } = c;
  const [, gf] = servers;
  const args = [...v2, 'clone', '-q', '--bare'];
  const check = async (dir, s) => c.sameRefs(await c.localRefs(dir), want, `clone from ${s.name}`);
  const parallel = (op) =>
    c.interleaved(op, size, servers, async (s, run) => {
      const dirOf = (i) => `${clients}/${op}-${s.name}-${run}-${i}`;
      await c.measure(op, size, s, () => parallelClones(c.runGit, args, readUrl(s), dirOf, timeoutMs));
      for (let i = 0; i < PARALLEL; i++) {
        await check(dirOf(i), s);
        rm(dirOf(i));
      }
    });

  c.log(`${size}: ${PARALLEL} clones at once, the object serving`);
  await parallel('clone-10-object');
  if (gf && !gf.broken.has(size)) {
    await gitflareApi(gf, user, repo, 'POST', 'maintenance');
    const stats = await gitflareApi(gf, user, repo, 'GET', 'stats');
    if (stats.pack_copies.copied < 1) throw new Error(`${size}: maintenance copied no pack to R2`);
  }
  c.log(`${size}: full clone streamed by the Worker`);
  const servedBefore = gf ? (await gitflareApi(gf, user, repo, 'GET', 'stats')).pack_copies.served : 0;
  await c.interleaved('clone-worker', size, servers, async (s, run) => {
    const dir = `${clients}/clone-worker-${s.name}-${run}`;
    await c.measure('clone-worker', size, s, () => c.runGit([...args, readUrl(s), dir], { timeoutMs }));
    await check(dir, s);
    rm(dir);
  });
  c.log(`${size}: ${PARALLEL} clones at once, streamed by the Worker`);
  await parallel('clone-10-worker');
  if (gf && !gf.broken.has(size)) {
    const served = (await gitflareApi(gf, user, repo, 'GET', 'stats')).pack_copies.served - servedBefore;
    if (served === 0) throw new Error(`${size}: no clone was streamed by the Worker`);
    c.log(`${size}: ${served} clones streamed by the Worker`);
  }
}
