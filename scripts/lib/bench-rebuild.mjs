// The benchmark row "full clone, two parts around a deleted branch, after the alarm": the walked
// row's repository after its maintenance (the alarm's work, run through the admin API as tests do)
// has repaired the cached pack, by a walk past the usable layer or, beyond the repair's window,
// by rebuilding it whole over as many runs as its steps take. The repair's own time (all runs)
// and the server's peak memory during it are logged; the clones are timed beside C git's.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { sampleGroup } from './procmem.mjs';

export const REBUILD_OP = [
  'clone-walk-after',
  'full clone, two parts around a deleted branch, after the alarm',
];

/** Runs at most this many maintenance runs (each an alarm's step) before giving up. */
const MAX_RUNS = 200;

async function api(method, base, user, repo, what) {
  const res = await fetch(`${base}/api/v1/repos/${user.username}/${repo}/git/${what}`, {
    method,
    headers: { Authorization: `token ${user.token}` },
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${method} git/${what}: ${res.status} ${text}`);
  return JSON.parse(text);
}

/**
 * Maintenance runs until the cached pack's last layer holds `objects` objects (everything
 * reachable): then a clone is its packs as stored. Returns the runs, time and peak memory.
 */
export async function repair(gf, user, repo, objects) {
  const sampler = sampleGroup(gf.pid, 50);
  const started = performance.now();
  let runs = 0;
  let layers = [];
  let mem;
  try {
    while (runs < MAX_RUNS) {
      await api('POST', gf.url, user, repo, 'maintenance');
      runs += 1;
      layers = (await api('GET', gf.url, user, repo, 'stats')).cached_pack;
      if (layers.at(-1)?.objects === objects) break;
    }
  } finally {
    mem = sampler.stop();
  }
  const ms = performance.now() - started;
  if (layers.at(-1)?.objects !== objects)
    throw new Error(`the cached pack was not repaired after ${runs} runs: ${JSON.stringify(layers)}`);
  return { runs, ms, mem, layers };
}

/**
 * The row, after the walked row (`name` is its repository on Gitflare). `b` holds the
 * benchmark's helpers: interleaved, measure, runGit, gitOk, localRefs, sameRefs, fail, log.
 */
export async function benchRebuildRow(
  b,
  { size, servers, user, src, name, want, clients, v2, timeoutMs, readUrl },
) {
  const [op, title] = REBUILD_OP;
  const [cgit, gf] = servers;
  b.log(`${size}: ${title}`);
  if (gf && !gf.broken.has(size)) {
    try {
      const objects = (await b.gitOk(['-C', src, 'rev-list', '--objects', '--all'], { timeoutMs }))
        .trim()
        .split('\n').length;
      const r = await repair(gf, user, name, objects);
      b.log(
        `${size}: the repair took ${r.runs} maintenance run(s), ${(r.ms / 1000).toFixed(2)} s, ` +
          `peak RSS ${(r.mem.peakTotalKiB / 1024).toFixed(0)} MiB (workerd ${((r.mem.peakByName.workerd ?? 0) / 1024).toFixed(0)} MiB); ` +
          `cached pack ${JSON.stringify(r.layers)}`,
      );
    } catch (err) {
      b.fail(op, size, gf.name, err);
    }
  }
  await b.interleaved(op, size, servers, async (s, run) => {
    const dir = join(clients, `${op}-${s.name}-${run}`);
    const url = s === cgit ? readUrl(s) : b.authUrl(gf.url, user, user.username, name);
    await b.measure(op, size, s, () => b.runGit([...v2, 'clone', '-q', '--bare', url, dir], { timeoutMs }));
    b.sameRefs(await b.localRefs(dir), want, `${title}: clone from ${s.name}`);
    rmSync(dir, { recursive: true, force: true });
  });
}
