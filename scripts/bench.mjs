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
//   --only=lfs     only these groups of rows (comma-separated: git, lfs, mirror, forkpull); README is left
//                  alone
//   --trace-gc     also V8's own account of each operation's peak (live heap plus array buffers
//                  after full collections, per isolate; see lib/gc-trace.mjs), printed at the end
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { authUrl, createRepo, createUser } from './lib/accounts.mjs';
import { benchForkPull, FORKPULL_OPS } from './lib/bench-forkpull.mjs';
import { benchLfs, LFS_OPS, lfsSizeCell } from './lib/bench-lfs.mjs';
import { benchLoad, heapTracker, LOAD_V8_FLAGS } from './lib/bench-load.mjs';
import { benchMirrors, MIRROR_OPS } from './lib/bench-mirrors.mjs';
import { benchRebuildRow, REBUILD_OP } from './lib/bench-rebuild.mjs';
import { ensureRepo, gitEnv, packBytes, SIZES } from './lib/bench-repo.mjs';
import { benchWorkerClone, WORKER_CLONE_OPS } from './lib/bench-workerclone.mjs';
import { gcTracker } from './lib/gc-trace.mjs';
import { buildApp, killGroup, startGitflare } from './lib/gitflare.mjs';
import { addPushHooks, startHookReceiver } from './lib/hook-receiver.mjs';
import { sampleGroup } from './lib/procmem.mjs';
import { writeBenchSection } from './lib/readme.mjs';
import { WORKER_HEAP_FLAGS } from './lib/workerd-heap-cap.mjs';

const argv = process.argv.slice(2);
const flag = (f) => argv.includes(f);
const known = ['--quick', '--no-build', '--cgit-only', '--no-readme', '--trace-gc', '--load'];
const GROUPS = ['git', 'lfs', 'mirror', 'forkpull'];
const onlyArg = argv.find((a) => a.startsWith('--only='));
const groups = new Set(onlyArg ? onlyArg.slice('--only='.length).split(',') : GROUPS);
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
const sizes = (process.env.BENCH_SIZES ?? (flag('--quick') ? 'small,medium' : 'small,medium,large'))
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
const TIMEOUT_MS = { small: 120_000, medium: 600_000, large: 3_600_000 };

const ROOT = resolve('.bench');
const WORK = join(ROOT, `run-${process.pid}`);
/** Process groups of servers we started and have not stopped yet (for an interrupted run). */
const liveGroups = new Set();
const log = (msg) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);

// ---------------------------------------------------------------------------------------------
// Running git

/**
 * Runs git; resolves {code, stdout, stderr, ms}. Never rejects; callers judge the result.
 * `onStderr(text)` sees git's messages as they come (its progress, with --progress).
 */
function runGit(args, { cwd, timeoutMs, env, onStderr } = {}) {
  return new Promise((res) => {
    const t0 = process.hrtime.bigint();
    const child = spawn('git', args, { cwd, env: env ?? gitEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    let stderr = '';
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => {
      onStderr?.(String(d));
      if (stderr.length < 20_000) stderr += d;
    });
    const timer = timeoutMs
      ? setTimeout(() => {
          stderr += `\n(killed after ${timeoutMs / 1000} s)`;
          child.kill('SIGKILL');
        }, timeoutMs)
      : null;
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      res({ code: code ?? (signal ? 128 : 1), stdout: Buffer.concat(out).toString('utf8'), stderr, ms });
    });
  });
}

async function gitOk(args, opts) {
  const r = await runGit(args, opts);
  if (r.code !== 0)
    throw new Error(`git ${redact(args.join(' '))} failed (${r.code}): ${redact(r.stderr.trim())}`);
  return r.stdout;
}

/** Tokens are embedded in Gitflare URLs; keep them out of messages. */
function redact(s) {
  return s.replace(/\/\/([^:/@\s]+):[^@/\s]+@/g, '//$1:***@');
}

/** refs/heads and refs/tags of a local repository: "oid refname" lines, sorted. */
async function localRefs(dir) {
  const out = await gitOk([
    '-C',
    dir,
    'for-each-ref',
    '--format=%(objectname) %(refname)',
    'refs/heads',
    'refs/tags',
  ]);
  return out.trim().split('\n').filter(Boolean).sort();
}

/** The same list from `git ls-remote` output (peeled "^{}" lines and HEAD dropped). */
function remoteRefs(lsRemoteOut) {
  return lsRemoteOut
    .trim()
    .split('\n')
    .filter((l) => /\trefs\/(heads|tags)\//.test(l) && !l.endsWith('^{}'))
    .map((l) => l.replace('\t', ' '))
    .sort();
}

function sameRefs(got, want, what) {
  const a = got.join('\n');
  const b = want.join('\n');
  if (a === b) return;
  const missing = want.filter((l) => !got.includes(l)).slice(0, 5);
  const extra = got.filter((l) => !want.includes(l)).slice(0, 5);
  throw new Error(
    `${what}: refs differ from the source (${got.length} vs ${want.length} refs); missing ${JSON.stringify(missing)}, unexpected ${JSON.stringify(extra)}`,
  );
}

// ---------------------------------------------------------------------------------------------
// The two servers

async function startCgit(root) {
  const child = spawn('node', [join('scripts', 'lib', 'git-http-server.mjs'), root], {
    detached: true, // own process group, so http-backend and its children are sampled together
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  liveGroups.add(child.pid);
  const port = await new Promise((ok, fail) => {
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl >= 0) ok(JSON.parse(buf.slice(0, nl)).port);
    });
    child.on('exit', (code) => fail(new Error(`git http server exited (${code})`)));
  });
  return {
    pid: child.pid,
    url: `http://127.0.0.1:${port}`,
    async stop() {
      await killGroup(child.pid);
      liveGroups.delete(child.pid);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Measurement bookkeeping

const OPS = [
  ['push', 'push whole history into an empty repository'],
  ['push-unchecked', 'the same push, C git not checking objects'],
  ['push-hooks', 'the same push with 5 webhooks registered (C git: its checked push)'],
  ['ls-remote', 'git ls-remote'],
  ['clone', 'full clone (--bare)'],
  ...WORKER_CLONE_OPS,
  ['clone-parts', 'full clone, history pushed in two parts'],
  ['clone-walk', 'full clone, two parts around a deleted branch'],
  REBUILD_OP,
  ['clone-depth1', 'clone --depth 1 (--bare)'],
  ['fetch', 'fetch one new commit'],
  ['fork', 'fork (C git: a local clone copying the packs)'],
  ['migrate', 'migrate from git http-backend (C git: clone --mirror of it)'],
  ...LFS_OPS,
  ...MIRROR_OPS,
  ...FORKPULL_OPS,
];
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

/** V8's trace of Gitflare's isolates (with --trace-gc). */
const gcTrace = flag('--trace-gc') ? gcTracker() : null;

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

/** The receiver of the webhooks row's deliveries (started with Gitflare). */
let hookReceiver = null;
const HOOKS = 5;

/**
 * The push again, into a repository with 5 push webhooks: deliveries are queued off the push's
 * path, so its time should be the plain push's within noise. Waits for the deliveries (one per
 * hook and ref) before the next operation is timed, so they do not load it.
 */
async function pushWithHooks(size, s, user, run, pushAll, want, timeoutMs) {
  if (!hookReceiver) return;
  const name = `hooks-${size}-${run}`;
  await createRepo(s.url, user, name);
  await addPushHooks(s.url, user, name, hookReceiver.url, HOOKS);
  const expected = hookReceiver.count + HOOKS * want.length;
  const url = authUrl(s.url, user, user.username, name);
  await measure('push-hooks', size, s, () => pushAll(url));
  sameRefs(remoteRefs(await gitOk(['ls-remote', url], { timeoutMs })), want, `push with hooks to ${s.name}`);
  if (!(await hookReceiver.waitFor(expected, timeoutMs)))
    log(`${size}: ${hookReceiver.count} webhook deliveries of ${expected} arrived in time`);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// ---------------------------------------------------------------------------------------------
// One size

async function benchSize(size, src, servers, user) {
  const timeoutMs = TIMEOUT_MS[size];
  const want = await localRefs(src);
  const main = want.find((l) => l.endsWith(' refs/heads/main'))?.split(' ')[0];
  const clients = join(WORK, 'clients', size);
  mkdirSync(clients, { recursive: true });
  const [cgit, gf] = servers;
  // Where each server's copy of this repository lives: C git serves the cached (gc'd) source
  // for reads; pushes go to fresh repositories on both.
  const readUrl = (s) =>
    s === cgit ? `${cgit.url}/src-${size}.git` : authUrl(gf.url, user, user.username, `push-${size}-0`);
  const pushName = (run) => `push-${size}-${run}`;
  const pushUrl = (s, run) =>
    s === cgit ? `${cgit.url}/${pushName(run)}.git` : authUrl(gf.url, user, user.username, pushName(run));
  const v2 = ['-c', 'protocol.version=2'];

  // Push: the whole history into an empty repository. Runs first: it is how Gitflare gets the
  // repository the later operations read.
  log(`${size}: push`);
  const pushAll = (url) =>
    runGit([...v2, '-C', src, 'push', '-q', url, '+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*'], {
      timeoutMs,
    });
  await interleaved('push', size, servers, async (s, run) => {
    if (s === cgit) {
      // Gitflare checks every pushed object (fsck) and the connectivity; C git does the same
      // work only when asked (receive.fsckObjects, as GitHub runs it). Both are timed below.
      const dir = join(WORK, 'cgit', `${pushName(run)}.git`);
      await gitOk(['init', '-q', '--bare', '-b', 'main', dir]);
      await gitOk(['-C', dir, 'config', 'receive.fsckObjects', 'true']);
    } else await createRepo(gf.url, user, pushName(run));
    const url = pushUrl(s, run);
    await measure('push', size, s, () => pushAll(url));
    sameRefs(remoteRefs(await gitOk(['ls-remote', url], { timeoutMs })), want, `push to ${s.name}`);
    if (run === 0) s.served = size;
    if (s !== cgit) {
      await pushWithHooks(size, s, user, run, pushAll, want, timeoutMs);
      return;
    }
    const plain = `unchecked-${pushName(run)}`;
    await gitOk(['init', '-q', '--bare', '-b', 'main', join(WORK, 'cgit', `${plain}.git`)]);
    await measure('push-unchecked', size, s, () => pushAll(`${cgit.url}/${plain}.git`));
    rmSync(join(WORK, 'cgit', `${plain}.git`), { recursive: true, force: true });
  });
  // The first push made the repository Gitflare serves for the rest; without it, nothing to read.
  if (gf && gf.served !== size) gf.broken.add(size);
  for (let run = 1; run < RUNS; run++)
    rmSync(join(WORK, 'cgit', `${pushName(run)}.git`), { recursive: true, force: true });

  log(`${size}: ls-remote`);
  await interleaved('ls-remote', size, servers, async (s) => {
    const r = await measure('ls-remote', size, s, () =>
      runGit([...v2, 'ls-remote', readUrl(s)], { timeoutMs }),
    );
    sameRefs(remoteRefs(r.stdout), want, `ls-remote on ${s.name}`);
    const head = r.stdout.split('\n').find((l) => l.endsWith('\tHEAD'));
    if (head?.split('\t')[0] !== main)
      throw new Error(`ls-remote on ${s.name}: HEAD is ${head ?? 'missing'}, expected ${main}`);
  });

  // Full clone; the last one of each server is kept as the base of the fetch test.
  log(`${size}: full clone`);
  const base = {};
  await interleaved('clone', size, servers, async (s, run) => {
    const dir = join(clients, `clone-${s.name}-${run}`);
    await measure('clone', size, s, () =>
      runGit([...v2, 'clone', '-q', '--bare', readUrl(s), dir], { timeoutMs }),
    );
    // git clone has already checked every object's hash (index-pack) and that the history is
    // complete (connectivity check); what is left to check is that the refs are the source's.
    sameRefs(await localRefs(dir), want, `clone from ${s.name}`);
    if (base[s.name]) rmSync(base[s.name], { recursive: true, force: true });
    base[s.name] = dir;
  });

  await benchWorkerClone({
    size,
    servers,
    readUrl,
    repo: pushName(0),
    user,
    want,
    clients,
    timeoutMs,
    v2,
    interleaved,
    measure,
    runGit,
    localRefs,
    sameRefs,
    log,
    rm: (d) => rmSync(d, { recursive: true, force: true }),
  });

  // Most repositories grow push by push, so their clone is not one stored pack: Gitflare gets
  // the history in two pushes (the first twentieth of main, then everything); the second push is
  // a layer of the cached pack, which the clone streams after the first. In the walked variant, a
  // branch pushed between the two and deleted unmerged (a pull request abandoned, or squashed
  // and deleted) leaves the second push unusable as a layer: the clone is the first push's pack
  // plus a walk of everything after it. C git serves the same source as above.
  const history = (await gitOk(['-C', src, 'rev-list', '--reverse', 'main'])).trim().split('\n');
  const early = history[Math.floor(history.length / 20)];
  for (const [op, title, name] of [
    ['clone-parts', 'full clone, history pushed in two parts', `parts-${size}`],
    ['clone-walk', 'full clone, two parts around a deleted branch', `walk-${size}`],
  ]) {
    log(`${size}: ${title}`);
    if (gf && !gf.broken.has(size)) {
      try {
        await createRepo(gf.url, user, name);
        const url = authUrl(gf.url, user, user.username, name);
        await gitOk([...v2, '-C', src, 'push', '-q', url, `${early}:refs/heads/main`], { timeoutMs });
        if (op === 'clone-walk') {
          // The branch's commit goes to objects of its own, so the source repository stays as it is.
          const objects = join(clients, 'gone-objects');
          mkdirSync(objects, { recursive: true });
          const env = gitEnv({
            GIT_OBJECT_DIRECTORY: objects,
            GIT_ALTERNATE_OBJECT_DIRECTORIES: join(src, 'objects'),
            GIT_AUTHOR_NAME: 'Bench',
            GIT_AUTHOR_EMAIL: 'bench@example.com',
            GIT_COMMITTER_NAME: 'Bench',
            GIT_COMMITTER_EMAIL: 'bench@example.com',
          });
          const tree = `${early}^{tree}`;
          const gone = (
            await gitOk(['-C', src, 'commit-tree', '-p', early, '-m', 'gone', tree], { env })
          ).trim();
          await gitOk([...v2, '-C', src, 'push', '-q', url, `${gone}:refs/heads/gone`], { timeoutMs, env });
          await gitOk([...v2, '-C', src, 'push', '-q', url, ':refs/heads/gone'], { timeoutMs });
        }
        const all = await pushAll(url);
        if (all.code !== 0) throw new Error(`second push failed: ${redact(all.stderr.trim())}`);
      } catch (err) {
        fail(op, size, gf.name, err);
      }
    }
    await interleaved(op, size, servers, async (s, run) => {
      const dir = join(clients, `${op}-${s.name}-${run}`);
      const url = s === cgit ? readUrl(s) : authUrl(gf.url, user, user.username, name);
      await measure(op, size, s, () => runGit([...v2, 'clone', '-q', '--bare', url, dir], { timeoutMs }));
      sameRefs(await localRefs(dir), want, `${title}: clone from ${s.name}`);
      rmSync(dir, { recursive: true, force: true });
    });
  }

  const helpers = { interleaved, measure, runGit, gitOk, localRefs, sameRefs, fail, log, authUrl };
  await benchRebuildRow(helpers, {
    size,
    servers,
    user,
    src,
    name: `walk-${size}`,
    want,
    clients,
    v2,
    timeoutMs,
    readUrl,
  });

  log(`${size}: clone --depth 1`);
  await interleaved('clone-depth1', size, servers, async (s, run) => {
    const dir = join(clients, `shallow-${s.name}-${run}`);
    await measure('clone-depth1', size, s, () =>
      runGit([...v2, 'clone', '-q', '--bare', '--depth', '1', readUrl(s), dir], { timeoutMs }),
    );
    const got = (await gitOk(['-C', dir, 'rev-parse', 'refs/heads/main'])).trim();
    const shallow = readFileSync(join(dir, 'shallow'), 'utf8').trim();
    if (got !== main || shallow !== main)
      throw new Error(`shallow clone from ${s.name}: main ${got}, shallow ${shallow}, expected ${main}`);
    // Every object the tip needs must be there (fsck stops at the shallow boundary).
    await gitOk(['-C', dir, 'fsck', '--connectivity-only', '--no-dangling', '--no-progress'], { timeoutMs });
    rmSync(dir, { recursive: true, force: true });
  });

  // Fork: Gitflare copies the stored packs, their index and the refs into the fork's own object;
  // C git's nearest is a local clone that copies the pack files as they are (no server involved,
  // so its memory column shows the idle server). Each run's fork is deleted after it is checked,
  // since a user forks a repository once.
  log(`${size}: fork`);
  await interleaved('fork', size, servers, async (s, run) => {
    if (s === cgit) {
      const dir = join(clients, `fork-${run}.git`);
      await measure('fork', size, s, () =>
        runGit(['clone', '-q', '--bare', '--no-hardlinks', src, dir], { timeoutMs }),
      );
      sameRefs(await localRefs(dir), want, 'fork by local clone');
      rmSync(dir, { recursive: true, force: true });
      return;
    }
    const forker = await forkUser(gf.url);
    const name = `fork-${size}-${run}`;
    await measure('fork', size, s, () => forkOnce(gf.url, forker, user.username, pushName(0), name));
    const url = authUrl(gf.url, forker, forker.username, name);
    sameRefs(remoteRefs(await gitOk(['ls-remote', url], { timeoutMs })), want, 'fork on gitflare');
    const del = await fetch(`${gf.url}/api/v1/repos/${forker.username}/${name}`, {
      method: 'DELETE',
      headers: { Authorization: `token ${forker.token}` },
    });
    if (del.status !== 204) throw new Error(`deleting the fork answered ${del.status}`);
  });

  // Migrate: Gitflare's object fetches the whole repository from the C git server (POST
  // /repos/migrate, answered once it is stored); C git's nearest is `clone --mirror` from the
  // same server. Each run's copy is deleted after its refs are checked.
  log(`${size}: migrate`);
  await interleaved('migrate', size, servers, async (s, run) => {
    const from = `${cgit.url}/src-${size}.git`;
    if (s === cgit) {
      const dir = join(clients, `migrate-${run}.git`);
      await measure('migrate', size, s, () =>
        runGit([...v2, 'clone', '-q', '--mirror', from, dir], { timeoutMs }),
      );
      sameRefs(await localRefs(dir), want, 'clone --mirror');
      rmSync(dir, { recursive: true, force: true });
      return;
    }
    const name = `migrate-${size}-${run}`;
    await measure('migrate', size, s, () => migrateOnce(gf.url, user, from, name));
    const url = authUrl(gf.url, user, user.username, name);
    sameRefs(remoteRefs(await gitOk(['ls-remote', url], { timeoutMs })), want, 'migration on gitflare');
    const del = await fetch(`${gf.url}/api/v1/repos/${user.username}/${name}`, {
      method: 'DELETE',
      headers: { Authorization: `token ${user.token}` },
    });
    if (del.status !== 204) throw new Error(`deleting the migrated repository answered ${del.status}`);
  });

  // Fetch: each run, one new commit (editing one file, as a developer would) lands on main on
  // both servers; then each base clone fetches it.
  log(`${size}: fetch one new commit`);
  const writer = join(clients, 'writer.git');
  await gitOk(['clone', '-q', '--bare', '--shared', src, writer]);
  const path = (await gitOk(['-C', writer, 'ls-tree', '-r', '--name-only', 'main']))
    .split('\n')
    .find((p) => p.startsWith('src/'));
  let expected = want;
  for (let run = 0; run < RUNS; run++) {
    const env = gitEnv({
      GIT_INDEX_FILE: join(clients, 'writer.index'),
      GIT_AUTHOR_NAME: 'Bench',
      GIT_AUTHOR_EMAIL: 'bench@example.com',
      GIT_AUTHOR_DATE: `${1_900_000_000 + run} +0000`,
      GIT_COMMITTER_NAME: 'Bench',
      GIT_COMMITTER_EMAIL: 'bench@example.com',
      GIT_COMMITTER_DATE: `${1_900_000_000 + run} +0000`,
    });
    const parent = (await gitOk(['-C', writer, 'rev-parse', 'main'])).trim();
    const content = `${await gitOk(['-C', writer, 'cat-file', 'blob', `main:${path}`])}bench fetch ${run}\n`;
    const blobFile = join(clients, 'writer.blob');
    writeFileSync(blobFile, content);
    const blob = (await gitOk(['-C', writer, 'hash-object', '-w', blobFile])).trim();
    await gitOk(['-C', writer, 'read-tree', 'main'], { env });
    await gitOk(['-C', writer, 'update-index', '--cacheinfo', `100644,${blob},${path}`], { env });
    const tree = (await gitOk(['-C', writer, 'write-tree'], { env })).trim();
    const commit = (
      await gitOk(['-C', writer, 'commit-tree', tree, '-p', parent, '-m', `Bench fetch ${run}`], { env })
    ).trim();
    await gitOk(['-C', writer, 'update-ref', 'refs/heads/main', commit, parent]);
    expected = expected.map((l) => (l.endsWith(' refs/heads/main') ? `${commit} refs/heads/main` : l)).sort();
    for (const s of servers) {
      if (s.broken?.has(size) || rec('fetch', size).error[s.name] || !base[s.name]) continue;
      try {
        await gitOk([...v2, '-C', writer, 'push', '-q', pushUrl(s, 0), 'main:main'], { timeoutMs });
      } catch (err) {
        fail('fetch', size, s.name, err);
      }
    }
    const order = run % 2 === 0 ? servers : [...servers].reverse();
    for (const s of order) {
      if (s.broken?.has(size) || rec('fetch', size).error[s.name] || !base[s.name]) continue;
      try {
        await measure('fetch', size, s, () =>
          runGit(
            [
              ...v2,
              '-C',
              base[s.name],
              'fetch',
              '-q',
              pushUrl(s, 0),
              '+refs/heads/*:refs/heads/*',
              '+refs/tags/*:refs/tags/*',
            ],
            { timeoutMs },
          ),
        );
        sameRefs(await localRefs(base[s.name]), expected, `fetch from ${s.name}`);
        await gitOk(['-C', base[s.name], 'cat-file', '-e', `${commit}^{tree}`]);
      } catch (err) {
        fail('fetch', size, s.name, err);
      }
    }
  }
  rmSync(clients, { recursive: true, force: true });
  rmSync(join(WORK, 'cgit', `${pushName(0)}.git`), { recursive: true, force: true });
}

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

/** The account that forks (not the parent's owner, whose name the parent already takes). */
let forker = null;
async function forkUser(url) {
  forker ??= await createUser(url, 'bench-forker');
  return forker;
}

/** POST .../forks, timed as runGit results are. */
async function forkOnce(url, who, owner, repo, name) {
  const t0 = process.hrtime.bigint();
  const res = await fetch(`${url}/api/v1/repos/${owner}/${repo}/forks`, {
    method: 'POST',
    headers: { Authorization: `token ${who.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  const text = await res.text();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { code: res.status === 202 ? 0 : 1, stdout: '', stderr: `fork answered ${res.status}: ${text}`, ms };
}

/** POST /repos/migrate from a C git URL, timed as runGit results are. */
async function migrateOnce(url, who, from, name) {
  const t0 = process.hrtime.bigint();
  const res = await fetch(`${url}/api/v1/repos/migrate`, {
    method: 'POST',
    headers: { Authorization: `token ${who.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ clone_addr: from, repo_name: name }),
  });
  const text = await res.text();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return {
    code: res.status === 201 ? 0 : 1,
    stdout: '',
    stderr: `migrate answered ${res.status}: ${text}`,
    ms,
  };
}

// ---------------------------------------------------------------------------------------------
// Report

const fmtMs = (ms) =>
  ms === undefined ? '—' : ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`;
const fmtKiB = (k) => (k ? `${(k / 1024).toFixed(0)} MiB` : '—');

function table(packSizes) {
  const head =
    '| Operation | Size | C git | Gitflare | Gitflare ÷ C git | Gitflare peak RSS (all processes) | workerd peak RSS | C git server peak RSS |';
  const rows = [head, '|---|---|--:|--:|--:|--:|--:|--:|'];
  for (const [op, label] of OPS) {
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
function gcTable() {
  const app = gcTrace.app();
  const rows = [
    '| Operation | Size | Gitflare isolate peak, live (V8, full GCs) | of it heap | of it array buffers | held at any GC | full GCs per run | other isolates, held |',
    '|---|---|--:|--:|--:|--:|--:|--:|',
  ];
  for (const [op, label] of OPS) {
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

function machineFacts() {
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
  for (const size of groups.has('git') || groups.has('mirror') || groups.has('forkpull') ? sizes : []) {
    repos[size] = await ensureRepo(join(ROOT, 'repos'), size, log);
    packSizes[size] = packBytes(repos[size]);
  }
  const cgit = await startCgit(join(WORK, 'cgit'));
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
        // The load scenarios read the isolate's heap from V8's trace of its collections.
        const heap = flag('--load') && !gcTrace ? heapTracker() : undefined;
        if (heap) process.env.GITFLARE_V8_FLAGS = `${WORKER_HEAP_FLAGS} ${LOAD_V8_FLAGS}`;
        gf = await startGitflare(
          WORK,
          (pgid) => liveGroups.add(pgid),
          (text) => (heap ? heap.onOutput(text) : gcTrace?.feed(text)),
        );
        gf.heap = heap;
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
      if (groups.has('git')) {
        // C git serves the cached source repository itself (a symlink keeps it out of WORK's cleanup).
        symlinkSync(repos[size], join(WORK, 'cgit', `src-${size}.git`));
        await benchSize(size, repos[size], servers, user);
      }
      if (groups.has('mirror'))
        await benchModuleRow(benchMirrors, 'mirror', size, repos[size], servers, user);
      if (groups.has('forkpull'))
        await benchModuleRow(benchForkPull, 'forkpull', size, repos[size], servers, user);
      if (groups.has('lfs')) await benchLfsSize(size, servers, user);
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
  const md = table(packSizes);
  console.log(`\n${md}\n`);
  // Load from other work on the machine skews timings; say how busy it was.
  console.log(
    `Median of ${RUNS} runs; ${machineFacts()}; load average at the end ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const errors = startupError ? [startupError.slice(0, 3000)] : [];
  for (const [op, bySize] of Object.entries(results)) {
    for (const [size, r] of Object.entries(bySize)) {
      for (const [server, msg] of Object.entries(r.error)) errors.push(`${op} ${size} on ${server}: ${msg}`);
    }
  }
  if (gcTrace) console.log(`\n${gcTable()}`);
  if (errors.length) console.log(`\nFailures:\n${errors.map((e) => `- ${e}`).join('\n')}`);
  // Raw numbers (every run, every sample peak) for anyone tracking them over time.
  writeFileSync(
    join(ROOT, 'last-results.json'),
    `${JSON.stringify({ date: new Date().toISOString(), runs: RUNS, machine: machineFacts(), packBytes: packSizes, results }, null, 1)}\n`,
  );

  if (!flag('--no-readme') && withGitflare && !failed && !onlyArg) {
    writeBenchSection(
      'README.md',
      `## Performance

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
  generate the first time. Raw numbers of the last run go to \`.bench/last-results.json\`.`,
    );
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
