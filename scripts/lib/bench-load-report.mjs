// The load benchmark's report (see bench-load.mjs): its markdown table and the README block
// that explains it.

/** "live (heap + buffers)" of an isolate's peaks, or what it held when no full collection ran. */
function liveCell(p) {
  if (!p) return '—';
  const mib = (kib) => (kib / 1024).toFixed(0);
  if (!p.liveKiB) return `no full GC (${mib(p.heldKiB)} MiB held)`;
  return `${mib(p.liveKiB)} MiB (${mib(p.heapKiB)} + ${mib(p.buffersKiB)})`;
}

/** The q-quantile of `xs` (nearest rank), e.g. 0.95 for p95. */
function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

const fmtMs = (ms) =>
  ms === undefined ? '—' : ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`;
const fmtMiB = (kib) => (kib ? `${(kib / 1024).toFixed(0)} MiB` : '—');
const ratio = (g, c) => (g !== undefined && c ? `${(g / c).toFixed(1)}×` : '—');

/** "median / p95 / max" of one operation's wall times. */
function spread(ms) {
  if (!ms?.length) return '—';
  if (ms.length === 1) return fmtMs(ms[0]);
  return `${fmtMs(quantile(ms, 0.5))} / ${fmtMs(quantile(ms, 0.95))} / ${fmtMs(Math.max(...ms))}`;
}

/** The markdown table of benchLoad's rows: one line per operation of each scenario. */
export function loadTable(rows, packSizes) {
  const out = [
    '| Load | Size | Operation | C git (median / p95 / max) | Gitflare (median / p95 / max) | Gitflare ÷ C git (median) | Whole scenario, C git / Gitflare | Throughput, C git / Gitflare | workerd peak RSS | isolate peak, live (heap + buffers) | C git server peak RSS |',
    '|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  const mbps = (r) =>
    r?.bytes && r.wallMs ? `${(r.bytes / 1048576 / (r.wallMs / 1000)).toFixed(1)} MiB/s` : '—';
  const cell = (r, ms) => (r?.error ? 'FAILED' : r ? spread(ms) : 'not run');
  const med = (ms) => (ms?.length ? quantile(ms, 0.5) : undefined);
  for (const row of rows) {
    const c = row.servers.cgit;
    const g = row.servers.gitflare;
    const ops = c?.ops ?? g?.ops ?? [{ label: '—' }];
    // What the scenario as a whole measured goes on its first line only.
    const whole = [row.title, `${row.size} (${(packSizes[row.size] / 1048576).toFixed(1)} MiB)`];
    const wholeAfter = [
      `${fmtMs(c?.wallMs)} / ${fmtMs(g?.wallMs)} (${ratio(g?.wallMs, c?.wallMs)})`,
      `${mbps(c)} / ${mbps(g)}`,
      fmtMiB(g?.mem?.peakByName.workerd),
      liveCell(g?.gc),
      fmtMiB(c?.mem?.peakTotalKiB),
    ];
    ops.forEach(({ label }, i) => {
      const cm = c?.ops?.[i]?.ms;
      const gm = g?.ops?.[i]?.ms;
      const waited =
        label === 'the push done last' && g?.waited !== undefined
          ? ` (on Gitflare it waited for the other: ${g.waited ? 'yes' : 'no'})`
          : '';
      // A small push can end before the operation meant to run beside it starts: said, not hidden.
      const apart = [c, g]
        .filter((r) => i === 0 && r?.overlapped === false)
        .map((r) => (r === c ? 'C git' : 'Gitflare'));
      const seen = [c, g]
        .filter((r) => i === 0 && r?.cloned)
        .map((r) => `${r === c ? 'C git' : 'Gitflare'} ${r.cloned}`);
      const note =
        (apart.length ? ` (on ${apart.join(' and ')}, it began after the push ended)` : '') +
        (seen.length ? ` (its refs from before or after the push landed: ${seen.join(', ')})` : '');
      const cells = [
        ...(i === 0 ? whole : ['', '']),
        `${label}${waited}${note}`,
        cell(c, cm),
        cell(g, gm),
        c?.error || g?.error ? '—' : ratio(med(gm), med(cm)),
        ...(i === 0 ? wholeAfter : ['', '', '', '', '']),
      ];
      out.push(`| ${cells.join(' | ')} |`);
    });
  }
  return out.join('\n');
}

/** The README block: the table and how to read it. */
export function readmeSection(ctx, md, facts, { clones, fsckSample }) {
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  return `### Under load

Measured by \`npm run bench -- --load\` on ${when} UTC: ${facts} (other work shares the
machine: both servers' times move with it).
Each scenario ran once per size and server, C git first on one size and Gitflare first on the
next; times are each operation's wall time as its client saw it (median / p95 / max over the
operations of that kind; one operation shows one time).

${md}

- **Scenarios.** ${ctx.sizes.map((z) => `${clones[z]} parallel \`git clone --bare\` of the ${z} repository`).join(', ')}
  (each clone verified: refs equal the source's, ${fsckSample} of them also \`git fsck
  --connectivity-only\`). A full clone started when the client of a push of the other half of
  the history into the same repository (which holds the first half of \`main\`) starts writing
  its pack; the clone gets the state before or after the push (said in the row), complete
  (fsck), and the push lands. Two pushes of the whole history at once into two empty
  repositories; and two started at once into one empty repository, under \`refs/heads/one/\`
  and \`refs/heads/two/\`: Gitflare admits one push at a time per repository (the other's
  client sees \`remote: waiting for another push to finish\` when its pack arrives while the
  first is received; the row says whether it did), C git receives both side by side. Every pushed
  repository is checked by its refs and a clone of it by fsck.
- **Whole scenario** is the wall time from the first operation's start to the last one's end;
  **throughput** the bytes of the repository's pack moved per second of it (clones: one pack
  per clone; pushes: one per push; the clone beside a push: one).
- **Memory.** workerd's peak RSS is the whole runtime (every isolate, SQLite's page cache,
  buffers), sampled every 50 ms. The isolate's peak is V8's own account after each full
  garbage collection (\`--trace-gc-verbose\`): live objects on the heap plus the array buffers
  they hold (outside the heap and not bounded by its cap), the highest over the scenario; locally
  one isolate holds the Worker and every repository's object, heap capped as in the table above
  (\`--max-old-space-size=112 --max-semi-space-size=4\`), so this bounds what the repository
  objects hold together from above (the 128 MB limit is per object). C git's column is its server's
  process group (the bridge, every http-backend, upload-pack, pack-objects, receive-pack and
  index-pack at once).
- Raw numbers of the last run go to \`.bench/last-load-results.json\`. Run it with
  \`npm run bench -- --load\` (\`BENCH_SIZES=small,medium\` for a quick run).`;
}
