// Peak resident memory of a process group, sampled from /proc while an operation runs.
// A server here is several processes (node start script, wrangler, workerd; or the CGI bridge,
// http-backend, upload-pack, pack-objects), so the group's sum is what the machine pays; the
// per-name peaks single out the process that does the work (workerd hosts the Worker and the
// Durable Objects).
import { readdirSync, readFileSync } from 'node:fs';

/** Processes whose process group is `pgid`: [{pid, name, rssKiB}]. Linux only. */
export function groupProcesses(pgid) {
  const out = [];
  let entries;
  try {
    entries = readdirSync('/proc');
  } catch {
    return out; // no procfs: memory columns stay empty rather than failing the benchmark
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      // Fields after the command name (which may itself contain spaces or parentheses).
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue;
      const status = readFileSync(`/proc/${e}/status`, 'utf8');
      const name = /^Name:\s*(.*)$/m.exec(status)?.[1] ?? '?';
      const rss = Number(/^VmRSS:\s*(\d+)/m.exec(status)?.[1] ?? 0);
      out.push({ pid: Number(e), name, rssKiB: rss });
    } catch {
      // the process exited between listing and reading: it simply is not counted
    }
  }
  return out;
}

/** Samples the group every `everyMs` until stop(); returns peaks in KiB. */
export function sampleGroup(pgid, everyMs = 50) {
  let peakTotal = 0;
  const peakByName = {};
  let last = [];
  const sample = () => {
    const byName = {};
    let total = 0;
    last = groupProcesses(pgid);
    for (const p of last) {
      total += p.rssKiB;
      byName[p.name] = (byName[p.name] ?? 0) + p.rssKiB;
    }
    peakTotal = Math.max(peakTotal, total);
    for (const [n, v] of Object.entries(byName)) peakByName[n] = Math.max(peakByName[n] ?? 0, v);
  };
  sample();
  const atStart = last;
  const timer = setInterval(sample, everyMs);
  return {
    /** Peaks, and the processes that were there at the start but are gone (crashed?) now. */
    stop() {
      clearInterval(timer);
      sample();
      const alive = new Set(last.filter((p) => p.rssKiB > 0).map((p) => p.pid));
      const exited = atStart.filter((p) => !alive.has(p.pid)).map(({ pid, name }) => ({ pid, name }));
      return { peakTotalKiB: peakTotal, peakByName, exited };
    },
  };
}
