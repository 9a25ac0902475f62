// The benchmark's report: the markdown table of timings and peaks, V8's account of the peaks
// (--trace-gc), the machine's facts, and the README's Performance section around the table.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { lfsSizeCell } from './bench-lfs.mjs';
import { SIZES } from './bench-repo.mjs';

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const fmtMs = (ms) =>
  ms === undefined ? '—' : ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`;
export const fmtKiB = (k) => (k ? `${(k / 1024).toFixed(0)} MiB` : '—');

export function table({ ops, results, sizes, packSizes, withGitflare }) {
  const head =
    '| Operation | Size | C git | Gitflare | Gitflare ÷ C git | Gitflare peak RSS (all processes) | workerd peak RSS | C git server peak RSS |';
  const rows = [head, '|---|---|--:|--:|--:|--:|--:|--:|'];
  for (const [op, label] of ops) {
    for (const size of sizes) {
      const r = results[op]?.[size];
      if (!r) continue;
      // The webhooks row compares with C git's (checked) push, as the push row does.
      const cs = op === 'push-hooks' ? (results.push?.[size]?.cgit ?? r.cgit) : r.cgit;
      const c = cs.ms.length ? median(cs.ms) : undefined;
      // The unchecked push row compares C git's plain push with Gitflare's (checked) push.
      const gs = op === 'push-unchecked' ? (results.push?.[size]?.gitflare ?? r.gitflare) : r.gitflare;
      const g = gs.ms.length ? median(gs.ms) : undefined;
      const peak = (slot, key) =>
        Math.max(0, ...slot.mem.map((m) => (key ? (m.peakByName[key] ?? 0) : m.peakTotalKiB)));
      const cCell = (op === 'push-hooks' ? results.push?.[size]?.error.cgit : r.error.cgit)
        ? 'FAILED'
        : fmtMs(c);
      const gCell = r.error.gitflare
        ? 'FAILED'
        : !withGitflare
          ? 'not run'
          : g === undefined
            ? 'skipped'
            : fmtMs(g);
      const ratio = c && g && !r.error.gitflare ? `${(g / c).toFixed(1)}×` : '—';
      const sizeCell = op.startsWith('lfs-')
        ? lfsSizeCell(size)
        : `${size} (${(packSizes[size] / 1048576).toFixed(1)} MiB)`;
      rows.push(
        `| ${label} | ${sizeCell} | ${cCell} | ${gCell} | ${ratio} | ${fmtKiB(peak(gs))} | ${fmtKiB(peak(gs, 'workerd'))} | ${fmtKiB(peak(cs))} |`,
      );
    }
  }
  return rows.join('\n');
}

/**
 * With --trace-gc: each operation's peaks in the app's isolate (V8's accounting) over its runs,
 * and the most any other isolate (the runtime's helpers, such as local R2) held meanwhile.
 */
export function gcTable({ ops, results, sizes, gcTrace }) {
  const app = gcTrace.app();
  const rows = [
    '| Operation | Size | Gitflare isolate peak, live (V8, full GCs) | of it heap | of it array buffers | held at any GC | full GCs per run | other isolates, held |',
    '|---|---|--:|--:|--:|--:|--:|--:|',
  ];
  for (const [op, label] of ops) {
    for (const size of sizes) {
      const runs = results[op]?.[size]?.gitflare.gc ?? [];
      if (!runs.length) continue;
      const mine = runs.map((g) => g[app]).filter(Boolean);
      const top = mine.filter((p) => p.liveKiB).sort((a, b) => b.liveKiB - a.liveKiB)[0];
      const live = top ? [top.liveKiB, top.heapKiB, top.buffersKiB].map(fmtKiB) : ['no full GC', '—', '—'];
      const held = Math.max(0, ...mine.map((p) => p.heldKiB));
      const others = runs.flatMap((g) => Object.entries(g).filter(([id]) => id !== app));
      const otherHeld = Math.max(0, ...others.map(([, p]) => p.heldKiB));
      const gcs = runs.map((g) => g[app]?.fullGcs ?? 0).join(', ');
      rows.push(
        `| ${label} | ${size} | ${live.join(' | ')} | ${fmtKiB(held)} | ${gcs} | ${fmtKiB(otherHeld)} |`,
      );
    }
  }
  return rows.join('\n');
}

export function machineFacts() {
  const cpus = os.cpus();
  const gitVersion = spawnSync('git', ['--version'], { encoding: 'utf8' })
    .stdout.trim()
    .replace(/^git version /, '');
  const pkgVersion = (name) => {
    try {
      return JSON.parse(readFileSync(join('node_modules', name, 'package.json'), 'utf8')).version;
    } catch {
      return '?';
    }
  };
  return `${cpus.length} × ${cpus[0]?.model?.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}; Node ${process.version}, git ${gitVersion}, workerd ${pkgVersion('workerd')} (wrangler ${pkgVersion('wrangler')})`;
}

/** The README's Performance section: `md` is the table, measured on `when` (UTC). */
export function performanceSection({ when, runs: RUNS, idleKiB, md, sizes }) {
  return `## Performance

Measured by \`npm run bench\` on ${when} UTC: ${machineFacts()}.
Median of ${RUNS} runs per cell; C git and Gitflare timed alternately in the same run.
Gitflare idle (before the first operation) used ${fmtKiB(idleKiB)} RSS over its processes.

${md}

- **C git** is \`git http-backend\` behind a small Node CGI bridge, serving the repository
  after \`git repack -a -d\` with a reachability bitmap (what \`git gc\` leaves in a bare
  repository); pushes go to fresh empty repositories with \`receive.fsckObjects\` on, because
  Gitflare checks every pushed object (fsck) too; the next row times C git's default push, which
  checks only connectivity, against the same Gitflare push. C git's index-pack uses both cores;
  a Durable Object has one thread. **Gitflare** is the built app on workerd
  (\`npm start\`: workerd through Miniflare) with a fresh state directory; it serves what was
  pushed to it. Background compaction is deferred until after the run, so no repository's alarm
  takes the one local isolate from the operation being timed.
- Clients: git ${spawnSync('git', ['--version'], { encoding: 'utf8' })
    .stdout.trim()
    .replace(/^git version /, '')} over protocol v2 on 127.0.0.1; clones are \`--bare\` so the
  time is the transfer, not the checkout. The fetch brings one new commit that edits one file.
- Repositories are generated by \`scripts/lib/bench-repo.mjs\` with \`git fast-import\`
  (${sizes.map((z) => `${z}: ${SIZES[z].commits.toLocaleString('en-US')} commits`).join(', ')}; files
  edited over and over, renames, merged topic branches, release branches, tags, binary assets)
  and cached under \`.bench/\`.
- Peak RSS is sampled every 50 ms from \`/proc\` over each server's process group (Gitflare:
  the node start script hosting Miniflare, and workerd; C git: the bridge, http-backend,
  upload-pack, pack-objects / receive-pack, index-pack), the highest over the runs. workerd's RSS
  is the whole runtime (the Worker's and every Durable Object's isolate, SQLite's page cache,
  buffers), not one isolate. The 128 MB limit applies per isolate. Locally one isolate holds the
  Worker and all Durable Objects, and the benchmark runs it with V8's heap capped at ~124 MiB
  (\`--max-old-space-size=112 --max-semi-space-size=4\`): every operation above completed within
  that cap. Array buffers live outside V8's heap and are not capped by it (see Limits above).
- Every result is checked: refs after push, ls-remote, clone and fetch equal the source's; the
  shallow clone has exactly the tip, with every object it needs.
- The Git LFS rows push one file of random bytes (10, 50 and 200 MiB by size) with \`git lfs\`
  (upload to R2 through the batch API, then the pointer's commit) and clone it fresh (the
  checkout downloads it); C git takes the same bytes as an ordinary blob, plain push and clone.
  Each clone's file is checked against the source's SHA-256. The mirror row syncs a pull mirror
  of a C git repository after one new commit there (\`POST .../mirror-sync\`, answered once
  stored; C git: \`git fetch --prune\` in a \`clone --mirror\`); the mirror's main is checked.
- The pull request from a fork row: a fork's new branch of 20 commits brought into the upstream
  (Gitflare: \`POST .../pulls\` with \`head: "{forker}:{branch}"\`, answered once the upstream's
  object has fetched the commits from the fork's object as \`refs/pull/{n}/head\`; C git: the
  upstream fetching the branch from the fork over http-backend into the same ref); checked by
  the ref's value.
- Run it yourself with \`npm run bench\` (\`-- --quick\` for small and medium only, \`-- --load\`
  for the load scenarios below;
  \`BENCH_SIZES=small,medium\`, \`BENCH_RUNS=5\`); the large repository takes several minutes to
  generate the first time. Raw numbers of the last run go to \`.bench/last-results.json\`.`;
}
