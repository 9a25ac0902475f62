// `npm run bench -- --load`: what a popular repository meets in production, against C git's
// `git http-backend` in the same run: a burst of parallel full clones (CI), a full clone started
// while a large push is received, and two large pushes at once (into two repositories, and into
// two branches of one repository, where Gitflare's second push waits for the first). Every
// operation must succeed and is verified (refs equal the source's; `git fsck` of a sample).
// bench.mjs starts the servers and hands over its git helpers; this module runs the scenarios,
// bench-load-report.mjs renders their table.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { authUrl, createRepo } from './accounts.mjs';
import { loadTable, readmeSection } from './bench-load-report.mjs';
import { sampleGroup } from './procmem.mjs';
import { writeBenchSection } from './readme.mjs';

/** Parallel full clones per size (the issue's 50 of the medium repository, 10 of the large). */
const CLONES = { small: 50, medium: 50, large: 10 };
/** How many of the parallel clones are checked with `git fsck` besides their refs. */
const FSCK_SAMPLE = 5;
const v2 = ['-c', 'protocol.version=2'];
/**
 * Push clients keep their whole pack to send it (git's advice for big pushes, `http.postBuffer`):
 * a local workerd, like Node's HTTP server before C git, closes a keep-alive connection idle for 5
 * seconds, and a client that took longer than that to count and write a large pack before its
 * POST (two at once on two cores) sometimes sent it on a connection closing under it. Streamed
 * (chunked) it cannot send the pack again and fails ("unable to rewind rpc post data"); buffered,
 * curl sends it again on a new connection. Both servers' clients push alike. The push that a
 * clone races (`pushWatched`) still streams, so the clone starts while the pack arrives.
 */
const BUFFERED_PUSH = ['-c', `http.postBuffer=${1024 * 1024 * 1024}`];

/** The app isolate's peaks since the last `take()` of V8's trace (see gc-trace.mjs). */
function appPeak(gc) {
  const peaks = gc.take();
  return peaks[gc.app()];
}

/**
 * Runs the load scenarios on every size, prints their table and, unless told not to or anything
 * failed, writes it into README.md's bench-load block; true when every operation succeeded.
 * `ctx` carries bench.mjs's servers ({cgit, gf}: {name, url, pid}; gf is null when Gitflare is
 * not run), the Gitflare account, the generated repositories and their pack sizes by size, the
 * work directory, timeouts by size, `readme`, and its helpers (runGit, gitOk, localRefs,
 * remoteRefs, sameRefs, redact, log, machineFacts).
 */
export async function benchLoad(ctx) {
  const { rows, failures } = await runLoad(ctx);
  const md = loadTable(rows, ctx.packSizes);
  const facts = `${ctx.machineFacts()}; load average at the end ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`;
  console.log(`\n${md}\n\n${facts}`);
  if (failures.length) console.log(`\nFailures:\n${failures.map((f) => `- ${f}`).join('\n')}`);
  writeFileSync(
    resolve('.bench', 'last-load-results.json'),
    `${JSON.stringify({ date: new Date().toISOString(), machine: facts, packBytes: ctx.packSizes, rows }, null, 1)}\n`,
  );
  const ok = failures.length === 0 && Boolean(ctx.gf);
  if (ctx.readme && ok) {
    writeBenchSection(
      'README.md',
      readmeSection(ctx, md, facts, { clones: CLONES, fsckSample: FSCK_SAMPLE }),
      'bench-load',
    );
    ctx.log('README.md load benchmark section updated');
  } else if (ctx.readme) ctx.log('README.md left alone (a load scenario failed, or Gitflare was not run)');
  return ok;
}

async function runLoad(ctx) {
  const { sizes, log } = ctx;
  const rows = [];
  const failures = [];
  for (const size of sizes) {
    for (const scenario of SCENARIOS) {
      log(`${size}: load: ${scenario.title(size)}`);
      const row = { scenario: scenario.key, title: scenario.title(size), size, servers: {} };
      rows.push(row);
      // Alternate which server goes first from size to size, so drift falls on both.
      const order = sizes.indexOf(size) % 2 === 0 ? [ctx.cgit, ctx.gf] : [ctx.gf, ctx.cgit];
      for (const server of order.filter(Boolean)) {
        try {
          row.servers[server.name] = await runScenario(ctx, scenario, size, server);
        } catch (err) {
          const message = ctx.redact(String(err?.message ?? err)).slice(0, 2000);
          row.servers[server.name] = { error: message };
          failures.push(`${scenario.key} ${size} on ${server.name}: ${message}`);
          log(`FAILED ${scenario.key} ${size} on ${server.name}: ${message}`);
          const tail = server.log?.().trim().split('\n').slice(-30).join('\n');
          if (tail) log(`last lines of the ${server.name} server log:\n${ctx.redact(tail)}`);
        }
      }
    }
  }
  return { rows, failures };
}

/** One scenario on one server, with the server's memory sampled throughout. */
async function runScenario(ctx, scenario, size, server) {
  const dir = join(ctx.work, 'load', `${scenario.key}-${size}-${server.name}`);
  mkdirSync(dir, { recursive: true });
  const env = await scenarioEnv(ctx, size, server, dir);
  await scenario.prepare?.(env);
  const sampler = sampleGroup(server.pid, 50);
  server.gc?.take();
  const t0 = performance.now();
  let result;
  try {
    result = await scenario.run(env);
  } finally {
    const mem = sampler.stop();
    // The last collections' lines pass through Miniflare's output after the work is done.
    if (server.gc) await new Promise((r) => setTimeout(r, 500));
    result = { ...result, mem, gc: server.gc ? appPeak(server.gc) : undefined };
    if (mem.exited.length)
      ctx.log(
        `${server.name}: processes exited during ${scenario.key}: ${mem.exited.map((p) => `${p.name} (${p.pid})`).join(', ')}`,
      );
  }
  result.wallMs = performance.now() - t0;
  if (result.mem.exited.length)
    throw new Error(
      `server processes exited during the scenario: ${result.mem.exited.map((p) => p.name).join(', ')}`,
    );
  await scenario.verify(env, result);
  for (const path of [dir, ...env.made]) rmSync(path, { recursive: true, force: true });
  return result;
}

/** What a scenario needs: where to make repositories on this server and how to reach them. */
async function scenarioEnv(ctx, size, server, dir) {
  const { cgit, gf, user, gitOk, runGit } = ctx;
  const src = ctx.repos[size];
  const isCgit = server === cgit;
  const timeoutMs = ctx.timeoutMs[size];
  const want = await ctx.localRefs(src);
  const made = [];
  return {
    ctx,
    size,
    server,
    dir,
    src,
    want,
    timeoutMs,
    packBytes: ctx.packSizes[size],
    isCgit,
    /** C git repositories made for this scenario (removed after it). */
    made,
    /** A fresh empty repository on this server: {url, path (C git only), name}. */
    async emptyRepo(prefix) {
      seq += 1;
      const name = `${prefix}-${size}-${server.name}-${seq}`;
      if (isCgit) {
        const path = join(ctx.work, 'cgit', `${name}.git`);
        made.push(path);
        await gitOk(['init', '-q', '--bare', '-b', 'main', path]);
        // C git checks pushed objects as Gitflare does (see the main table's push row).
        await gitOk(['-C', path, 'config', 'receive.fsckObjects', 'true']);
        return { name, path, url: `${cgit.url}/${name}.git` };
      }
      await createRepo(gf.url, user, name);
      return { name, url: authUrl(gf.url, user, user.username, name) };
    },
    /** The repository clones read: the generated source on C git, a pushed copy on Gitflare. */
    async servedRepo() {
      if (isCgit) return { url: `${cgit.url}/src-${size}.git` };
      gf.served ??= {};
      if (!gf.served[size]) {
        const repo = await this.emptyRepo('load-served');
        await gitOk([...v2, ...BUFFERED_PUSH, '-C', src, 'push', '-q', repo.url, ...ALL_REFS], { timeoutMs });
        gf.served[size] = repo;
      }
      return gf.served[size];
    },
    clone(url, to) {
      return runGit([...v2, 'clone', '-q', '--bare', url, to], { timeoutMs });
    },
    push(url, refspecs = ALL_REFS) {
      return runGit([...v2, ...BUFFERED_PUSH, '-C', src, 'push', '-q', url, ...refspecs], { timeoutMs });
    },
    /**
     * A push, and when its client starts writing the pack (git's progress says so): `writing`
     * resolves then, or when the push ends, whichever comes first. Watched from the client so
     * both servers are treated alike; a pack bigger than git's post buffer (1 MiB) streams to
     * the server as it is written, a smaller one is sent once written.
     */
    pushWatched(url, refspecs = ALL_REFS) {
      let began;
      const writing = new Promise((r) => {
        began = r;
      });
      const t0 = performance.now();
      const done = runGit([...v2, '-C', src, 'push', '--progress', url, ...refspecs], {
        timeoutMs,
        onStderr: (text) => {
          if (text.includes('Writing objects')) began();
        },
      }).then((r) => {
        began();
        return { ...r, endAt: t0 + r.ms };
      });
      return { done, writing };
    },
    async fsck(path) {
      await gitOk(['-C', path, 'fsck', '--connectivity-only', '--no-dangling', '--no-progress'], {
        timeoutMs,
      });
    },
    async remoteRefs(url) {
      return ctx.remoteRefs(await gitOk(['ls-remote', url], { timeoutMs }));
    },
  };
}

/** Numbers the repositories made in this run, so no two share a name. */
let seq = 0;
const ALL_REFS = ['+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*'];

async function gitStats(ctx, repo) {
  const res = await fetch(`${ctx.gf.url}/api/v1/repos/${ctx.user.username}/${repo.name}/git/stats`, {
    headers: { Authorization: `token ${ctx.user.token}` },
  });
  if (!res.ok) throw new Error(`git/stats of ${repo.name} answered ${res.status}`);
  return res.json();
}

/** Awaits runGit results; throws with the first failure's message. */
async function allOk(what, runs) {
  const results = await Promise.all(runs);
  const bad = results.findIndex((r) => r.code !== 0);
  if (bad >= 0) {
    const n = results.filter((r) => r.code !== 0).length;
    throw new Error(`${what}: ${n} of ${results.length} failed; #${bad}: ${results[bad].stderr.trim()}`);
  }
  return results;
}

/** Clone and check: refs as `want`, and `fsck` when `deep`. */
async function checkClone(env, path, want, what, deep) {
  env.ctx.sameRefs(await env.ctx.localRefs(path), want, what);
  if (deep) await env.fsck(path);
}

const SCENARIOS = [
  {
    key: 'clones',
    title: (size) => `${CLONES[size]} parallel full clones (--bare)`,
    async prepare(env) {
      env.repo = await env.servedRepo();
    },
    async run(env) {
      const n = CLONES[env.size];
      const runs = await allOk(
        `parallel clones from ${env.server.name}`,
        Array.from({ length: n }, (_, i) => env.clone(env.repo.url, join(env.dir, `c${i}`))),
      );
      return { ops: [{ label: 'clone', ms: runs.map((r) => r.ms) }], bytes: n * env.packBytes };
    },
    async verify(env) {
      const n = CLONES[env.size];
      const every = Math.max(1, Math.floor(n / FSCK_SAMPLE));
      for (let i = 0; i < n; i++) {
        await checkClone(
          env,
          join(env.dir, `c${i}`),
          env.want,
          `clone ${i} from ${env.server.name}`,
          i % every === 0,
        );
      }
    },
  },
  {
    key: 'clone-during-push',
    title: () => 'a full clone started during a large push into the same repository',
    // The repository holds the first half of main; the push brings everything else, and a full
    // clone starts once the push's pack is streaming in.
    async prepare(env) {
      const history = (await env.ctx.gitOk(['-C', env.src, 'rev-list', '--reverse', 'main']))
        .trim()
        .split('\n');
      env.mid = history[history.length >> 1];
      env.repo = await env.emptyRepo('load-during');
      const r = await env.push(env.repo.url, [`${env.mid}:refs/heads/main`]);
      if (r.code !== 0) throw new Error(`seeding push failed: ${r.stderr.trim()}`);
    },
    async run(env) {
      const push = env.pushWatched(env.repo.url);
      await push.writing;
      const cloneAt = performance.now();
      const [clone, pushed] = await allOk(`clone beside a push on ${env.server.name}`, [
        env.clone(env.repo.url, join(env.dir, 'clone')),
        push.done,
      ]);
      return {
        ops: [
          { label: 'the clone', ms: [clone.ms] },
          { label: 'the push', ms: [pushed.ms] },
        ],
        bytes: env.packBytes,
        overlapped: cloneAt < pushed.endAt,
      };
    },
    async verify(env, result) {
      env.ctx.sameRefs(
        await env.remoteRefs(env.repo.url),
        env.want,
        `push beside a clone to ${env.server.name}`,
      );
      // The clone read the refs before or after the push landed: either state, complete.
      const path = join(env.dir, 'clone');
      const got = await env.ctx.localRefs(path);
      const before = [`${env.mid} refs/heads/main`];
      result.cloned = got.length === 1 ? 'before' : 'after';
      env.ctx.sameRefs(
        got,
        got.length === 1 ? before : env.want,
        `clone during a push from ${env.server.name}`,
      );
      await env.fsck(path);
    },
  },
  {
    key: 'pushes-two-repos',
    title: () => 'two large pushes at once, into two repositories',
    async prepare(env) {
      env.repos = [await env.emptyRepo('load-twin'), await env.emptyRepo('load-twin')];
    },
    async run(env) {
      const runs = await allOk(
        `two pushes to ${env.server.name}`,
        env.repos.map((r) => env.push(r.url)),
      );
      return { ops: [{ label: 'push', ms: runs.map((r) => r.ms) }], bytes: 2 * env.packBytes };
    },
    async verify(env) {
      for (const r of env.repos)
        env.ctx.sameRefs(await env.remoteRefs(r.url), env.want, `push to ${r.name} on ${env.server.name}`);
      const path = join(env.dir, 'check');
      const c = await env.clone(env.repos[1].url, path);
      if (c.code !== 0) throw new Error(`clone of a pushed repository failed: ${c.stderr.trim()}`);
      await checkClone(env, path, env.want, `clone of ${env.repos[1].name}`, true);
    },
  },
  {
    key: 'pushes-one-repo',
    title: () => 'two large pushes at once, into two branches of one repository',
    // Both start at once and bring the whole history of the branches (the repository is empty
    // when both read its refs), under refs/heads/one/ and refs/heads/two/.
    async prepare(env) {
      env.repo = await env.emptyRepo('load-shared');
    },
    async run(env) {
      const runs = await allOk(
        `two pushes into one repository on ${env.server.name}`,
        ['one', 'two'].map((ns) => env.push(env.repo.url, [`+refs/heads/*:refs/heads/${ns}/*`])),
      );
      const [a, b] = runs.map((r) => r.ms).sort((x, y) => x - y);
      const waited = env.isCgit ? undefined : (await gitStats(env.ctx, env.repo)).admission.waited;
      return {
        ops: [
          { label: 'the push done first', ms: [a] },
          { label: 'the push done last', ms: [b] },
        ],
        bytes: 2 * env.packBytes,
        waited,
      };
    },
    async verify(env) {
      const heads = env.want.filter((l) => l.includes(' refs/heads/'));
      const moved = ['one', 'two'].flatMap((ns) =>
        heads.map((l) => l.replace(' refs/heads/', ` refs/heads/${ns}/`)),
      );
      env.ctx.sameRefs(
        await env.remoteRefs(env.repo.url),
        moved.sort(),
        `two pushes into one repository on ${env.server.name}`,
      );
      const path = join(env.dir, 'check');
      const c = await env.clone(env.repo.url, path);
      if (c.code !== 0) throw new Error(`clone of the pushed repository failed: ${c.stderr.trim()}`);
      await checkClone(env, path, moved.sort(), `clone of ${env.repo.name}`, true);
    },
  },
];
