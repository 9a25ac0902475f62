#!/usr/bin/env node
// `npm run bench`: clone, fetch, push and ls-remote timed against C git's own server (git
// http-backend behind a CGI bridge) and against Gitflare (the built app on workerd), on the same
// machine, in the same run, interleaved, on generated repositories of three sizes. Every result
// is checked (refs equal the source's), so a fast wrong answer fails the run; slowness never does.
//
//   npm run bench                       all sizes (small, medium, large), 3 runs each
//   npm run bench -- --quick            small and medium only
//   BENCH_SIZES=small BENCH_RUNS=5 npm run bench
//   --no-build     use the existing build in dist/
//   --cgit-only    time only the C git baseline (README is left alone)
//   --no-readme    print the table without rewriting README.md
//   --load         the load scenarios instead (scripts/lib/bench-load.mjs), their own README table
//   --only=lfs     only these groups of rows (comma-separated: git, lfs, mirror, forkpull, million);
//                  README is left alone. million (not run by default): a history pushed in parts
//                  (lib/bench-million.mjs)
//   --huge         the million rows on the huge history (~1,000,000 objects; BENCH_SIZES=huge)
//   --trace-gc     also V8's own account of each operation's peak (live heap plus array buffers
//                  after full collections, per isolate; see lib/gc-trace.mjs), printed at the end
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { createUser } from './lib/accounts.mjs';
import { benchForkPull, FORKPULL_OPS } from './lib/bench-forkpull.mjs';
import { benchGitSize, GIT_OPS } from './lib/bench-git.mjs';
import { benchLfs, LFS_OPS } from './lib/bench-lfs.mjs';
import { benchLoad } from './lib/bench-load.mjs';
import { benchMillion, MILLION_OPS } from './lib/bench-million.mjs';
import { benchMirrors, MIRROR_OPS } from './lib/bench-mirrors.mjs';
import { ensureRepo, packBytes, SIZES } from './lib/bench-repo.mjs';
import { gcTable, machineFacts, performanceSection, table } from './lib/bench-report.mjs';
import { startCgit } from './lib/cgit-server.mjs';
import { freshConnectionsForFetch } from './lib/fresh-connections.mjs';
import { gcTracker } from './lib/gc-trace.mjs';
import { gitOk, localRefs, redact, remoteRefs, runGit, sameRefs } from './lib/git-run.mjs';
import { buildApp, startGitflare } from './lib/gitflare.mjs';
import { startHookReceiver } from './lib/hook-receiver.mjs';
import { sampleGroup } from './lib/procmem.mjs';
import { writeBenchSection } from './lib/readme.mjs';
import { WORKER_HEAP_FLAGS } from './lib/workerd-heap-cap.mjs';

freshConnectionsForFetch();
const argv = process.argv.slice(2);
const flag = (f) => argv.includes(f);
const known = ['--quick', '--no-build', '--cgit-only', '--no-readme', '--trace-gc', '--load', '--huge'];
// 'million' (the huge history in parts) runs only when asked: --only=million, or --huge.
const GROUPS = ['git', 'lfs', 'mirror', 'forkpull', 'million'];
const onlyArg = argv.find((a) => a.startsWith('--only='));
const groups = new Set(
  onlyArg ? onlyArg.slice('--only='.length).split(',') : flag('--huge') ? ['million'] : GROUPS.slice(0, -1),
);
for (const a of argv) {
  if (a === onlyArg) {
    const unknown = [...groups].filter((g) => !GROUPS.includes(g));
    if (unknown.length === 0) continue;
    console.error(`--only: unknown group ${unknown.join(',')}; known: ${GROUPS.join(',')}`);
    process.exit(2);
  }
  if (!known.includes(a)) {
    console.error(`unknown option ${a}; known: ${known.join(' ')} --only=${GROUPS.join(',')}`);
    process.exit(2);
  }
}
const defaultSizes = flag('--huge') ? 'huge' : flag('--quick') ? 'small,medium' : 'small,medium,large';
const sizes = (process.env.BENCH_SIZES ?? defaultSizes)
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
for (const s of sizes) {
  if (!SIZES[s]) {
    console.error(`BENCH_SIZES: unknown size ${s}; known: ${Object.keys(SIZES).join(',')}`);
    process.exit(2);
  }
}
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
if (!Number.isInteger(RUNS) || RUNS < 1 || RUNS > 50) {
  console.error('BENCH_RUNS must be an integer from 1 to 50');
  process.exit(2);
}
const withGitflare = !flag('--cgit-only');
// An operation that takes longer than this is a hang, not a measurement.
const TIMEOUT_MS = { small: 120_000, medium: 600_000, large: 3_600_000, huge: 14_400_000 };

const ROOT = resolve('.bench');
const WORK = join(ROOT, `run-${process.pid}`);
/** Process groups of servers we started and have not stopped yet (for an interrupted run). */
const liveGroups = new Set();
const log = (msg) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);

// ---------------------------------------------------------------------------------------------
// Measurement bookkeeping

const OPS = [...GIT_OPS, ...LFS_OPS, ...MIRROR_OPS, ...FORKPULL_OPS, ...MILLION_OPS];
/** results[op][size] = {cgit: {ms: [], mem: []}, gitflare: {...}, error: {server: message}} */
const results = {};
let failed = false;
/** server name -> () => its log so far (Gitflare's stdout and stderr). */
const serverLogs = {};
const rec = (op, size) => {
  results[op] ??= {};
  results[op][size] ??= { cgit: { ms: [], mem: [] }, gitflare: { ms: [], mem: [] }, error: {} };
  return results[op][size];
};
function fail(op, size, server, err) {
  failed = true;
  const r = rec(op, size);
  r.error[server] ??= redact(String(err?.message ?? err)).slice(0, 2000);
  log(`FAILED ${op} ${size} on ${server}: ${r.error[server]}`);
  // The server's own account of the failure, for whoever reads the console.
  const tail = serverLogs[server]?.().trim().split('\n').slice(-30).join('\n');
  if (tail) log(`last lines of the ${server} server log:\n${redact(tail)}`);
}

/** V8's trace of Gitflare's isolates (with --trace-gc; the load scenarios always report it). */
const gcTrace = flag('--trace-gc') || flag('--load') ? gcTracker() : null;

/** Times `fn` (which returns a runGit result) while sampling the server's memory. */
async function measure(op, size, server, fn) {
  const traced = server.name === 'gitflare' ? gcTrace : null;
  traced?.take();
  const sampler = sampleGroup(server.pid, 50);
  const r = await fn();
  const mem = sampler.stop();
  const slot = rec(op, size)[server.name];
  slot.mem.push(mem); // kept for failures too: running out of memory is a common reason
  if (traced) {
    slot.gc ??= [];
    slot.gc.push(traced.take());
  }
  if (r.code !== 0) {
    // A server process that died mid-operation (workerd restarts after a crash) explains a
    // dropped connection better than git's message does.
    const died = mem.exited.map((p) => `${p.name} (pid ${p.pid})`).join(', ');
    throw new Error(
      `git exited ${r.code}: ${redact(r.stderr.trim())}${died ? `\n  server processes that exited during the operation: ${died}` : ''}`,
    );
  }
  slot.ms.push(r.ms);
  return r;
}

/**
 * Runs `body(server, run)` RUNS times for each live server, interleaved (A B, B A, A B...) so
 * drift in the machine's state (caches, thermal, other load) falls on both alike.
 */
async function interleaved(op, size, servers, body) {
  for (let run = 0; run < RUNS; run++) {
    const order = run % 2 === 0 ? servers : [...servers].reverse();
    for (const s of order) {
      if (s.broken?.has(size) || rec(op, size).error[s.name]) continue;
      try {
        await body(s, run);
      } catch (err) {
        fail(op, size, s.name, err);
      }
    }
  }
}

/** Failures of a group's own setup (outside any row's runs), for the run's list of failures. */
const groupErrors = [];

/**
 * One group of rows on one size. A failure outside its rows' runs (setting up a repository, a
 * server that crashed and no longer answers) ends that group only: the run goes on to the next
 * one and still prints what was measured (the README is left alone, as for any failure).
 */
async function rowGroup(name, size, body) {
  try {
    await body();
  } catch (err) {
    failed = true;
    const msg = redact(String(err?.message ?? err)).slice(0, 2000);
    groupErrors.push(`${name} rows on ${size}: ${msg}`);
    log(`FAILED ${name} rows on ${size}: ${msg}`);
  }
}

/** The receiver of the webhooks row's deliveries (started with Gitflare). */
let hookReceiver = null;

/** The Git LFS rows (scripts/lib/bench-lfs.mjs) with this benchmark's servers and helpers. */
async function benchLfsSize(size, servers, user) {
  const ctx = { size, servers, user, work: WORK, cgitRoot: join(WORK, 'cgit'), runs: RUNS };
  await benchLfs({ ...ctx, timeoutMs: TIMEOUT_MS[size], log, runGit, gitOk, measure, interleaved });
}

/**
 * A row kept in its own module (the pull mirror's, the pull request from a fork's) run with this
 * benchmark's servers and helpers and a scratch folder of its own.
 */
async function benchModuleRow(row, name, size, src, servers, user) {
  const clients = join(WORK, 'clients', `${name}-${size}`);
  mkdirSync(clients, { recursive: true });
  const ctx = {
    size,
    src,
    servers,
    user,
    cgitRoot: join(WORK, 'cgit'),
    clients,
    timeoutMs: TIMEOUT_MS[size],
  };
  await row({ ...ctx, log, fail, runGit, gitOk, measure, interleaved });
  rmSync(clients, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
// Main

/** Work directories of earlier runs that were killed outright (their process is gone). */
function removeStaleRuns() {
  if (!existsSync(ROOT)) return;
  for (const name of readdirSync(ROOT)) {
    const m = /^run-(\d+)$/.exec(name);
    if (!m) continue;
    try {
      process.kill(Number(m[1]), 0);
    } catch {
      rmSync(join(ROOT, name), { recursive: true, force: true });
    }
  }
}

async function main() {
  removeStaleRuns();
  mkdirSync(join(WORK, 'cgit'), { recursive: true });
  const packSizes = {};
  const repos = {};
  const withRepos = ['git', 'mirror', 'forkpull', 'million'].some((g) => groups.has(g));
  for (const size of withRepos ? sizes : []) {
    repos[size] = await ensureRepo(join(ROOT, 'repos'), size, log);
    packSizes[size] = packBytes(repos[size]);
  }
  const cgit = await startCgit(join(WORK, 'cgit'), liveGroups);
  cgit.name = 'cgit';
  const servers = [cgit];
  let gf = null;
  let user = null;
  let idleKiB = 0;
  let startupError = '';
  try {
    if (withGitflare) {
      try {
        if (!flag('--no-build')) {
          log('building the app');
          buildApp();
        }
        log('starting Gitflare');
        if (gcTrace) {
          // The benchmark's heap cap stays; the trace adds V8's accounting at each collection.
          process.env.GITFLARE_V8_FLAGS = `${WORKER_HEAP_FLAGS} --trace-gc-verbose --no-concurrent-array-buffer-sweeping`;
        }
        gf = await startGitflare(
          WORK,
          (pgid) => liveGroups.add(pgid),
          (text) => gcTrace?.feed(text),
        );
        gf.gc = gcTrace;
        gf.name = 'gitflare';
        gf.broken = new Set();
        serverLogs.gitflare = gf.log;
        user = await createUser(gf.url, 'bench');
        hookReceiver = await startHookReceiver();
        idleKiB = sampleGroup(gf.pid).stop().peakTotalKiB;
        servers.push(gf);
      } catch (err) {
        failed = true;
        startupError = `Gitflare could not be started: ${redact(String(err.message ?? err))}`;
        log(startupError);
      }
    }
    for (const size of sizes) {
      if (flag('--load')) {
        symlinkSync(repos[size], join(WORK, 'cgit', `src-${size}.git`));
        continue;
      }
      // The huge history is only ever pushed in parts, by the million rows.
      if (size === 'huge') {
        if (groups.has('million'))
          await rowGroup('million', size, () =>
            benchModuleRow(benchMillion, 'million', size, repos[size], servers, user),
          );
        else log('huge: only the million rows (--only=million) run on it');
        continue;
      }
      if (groups.has('git')) {
        // C git serves the cached source repository itself (a symlink keeps it out of WORK's cleanup).
        symlinkSync(repos[size], join(WORK, 'cgit', `src-${size}.git`));
        await rowGroup('git', size, () =>
          benchGitSize({
            size,
            src: repos[size],
            servers,
            user,
            work: WORK,
            runs: RUNS,
            timeoutMs: TIMEOUT_MS[size],
            hookReceiver,
            log,
            fail,
            rec,
            measure,
            interleaved,
          }),
        );
      }
      if (groups.has('mirror'))
        await rowGroup('mirror', size, () =>
          benchModuleRow(benchMirrors, 'mirror', size, repos[size], servers, user),
        );
      if (groups.has('forkpull'))
        await rowGroup('forkpull', size, () =>
          benchModuleRow(benchForkPull, 'forkpull', size, repos[size], servers, user),
        );
      if (groups.has('lfs')) await rowGroup('lfs', size, () => benchLfsSize(size, servers, user));
      if (groups.has('million'))
        await rowGroup('million', size, () =>
          benchModuleRow(benchMillion, 'million', size, repos[size], servers, user),
        );
    }
    if (flag('--load')) {
      const h = { runGit, gitOk, localRefs, remoteRefs, sameRefs, redact, log, machineFacts };
      const ok = await benchLoad({
        ...h,
        sizes,
        repos,
        packSizes,
        cgit,
        gf,
        user,
        work: WORK,
        timeoutMs: TIMEOUT_MS,
        readme: !flag('--no-readme'),
      });
      failed ||= !ok;
    }
  } finally {
    if (gf) {
      await gf.stop();
      liveGroups.delete(gf.pid);
    }
    await cgit.stop();
    await hookReceiver?.close();
    rmSync(WORK, { recursive: true, force: true, maxRetries: 5 });
  }

  if (flag('--load')) {
    process.exitCode = failed ? 1 : 0;
    return;
  }
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const md = table({ ops: OPS, results, sizes, packSizes, withGitflare });
  console.log(`\n${md}\n`);
  // Load from other work on the machine skews timings; say how busy it was.
  console.log(
    `Median of ${RUNS} runs; ${machineFacts()}; load average at the end ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const errors = startupError ? [startupError.slice(0, 3000), ...groupErrors] : [...groupErrors];
  for (const [op, bySize] of Object.entries(results)) {
    for (const [size, r] of Object.entries(bySize)) {
      for (const [server, msg] of Object.entries(r.error)) errors.push(`${op} ${size} on ${server}: ${msg}`);
    }
  }
  if (gcTrace) console.log(`\n${gcTable({ ops: OPS, results, sizes, gcTrace })}`);
  if (errors.length) console.log(`\nFailures:\n${errors.map((e) => `- ${e}`).join('\n')}`);
  // Raw numbers (every run, every sample peak) for anyone tracking them over time.
  writeFileSync(
    join(ROOT, 'last-results.json'),
    `${JSON.stringify({ date: new Date().toISOString(), runs: RUNS, machine: machineFacts(), packBytes: packSizes, results }, null, 1)}\n`,
  );

  if (!flag('--no-readme') && withGitflare && !failed && !onlyArg && !flag('--huge')) {
    writeBenchSection('README.md', performanceSection({ when, runs: RUNS, idleKiB, md, sizes }));
    log('README.md benchmark section updated');
  } else if (!flag('--no-readme')) {
    log('README.md left alone (run incomplete or failed, --cgit-only or --only)');
  }
  process.exitCode = failed ? 1 : 0;
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    // The servers run in their own process groups; the finally block above stops them on a
    // normal exit, and an interrupted run must not leave them behind either.
    log(`interrupted (${sig})`);
    for (const pgid of liveGroups) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    // Give the killed servers a moment to let go of their files before removing them.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    try {
      rmSync(WORK, { recursive: true, force: true, maxRetries: 5 });
    } catch (err) {
      log(`could not remove ${WORK}: ${err.message}; the next run removes it`);
    }
    process.exit(130);
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
