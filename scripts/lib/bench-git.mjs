// The benchmark's git rows (push, ls-remote, clones, fetch, fork, migrate) for one size, timed
// against C git's http-backend by the driver, scripts/bench.mjs, which owns the servers, the
// measurements and the table. Every result is checked against the source repository's refs.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { authUrl, createRepo, createUser } from './accounts.mjs';
import { benchRebuildRow, REBUILD_OP } from './bench-rebuild.mjs';
import { gitEnv } from './bench-repo.mjs';
import { benchWorkerClone, WORKER_CLONE_OPS } from './bench-workerclone.mjs';
import { commitOneEdit, gitOk, localRefs, redact, remoteRefs, runGit, sameRefs } from './git-run.mjs';
import { addPushHooks } from './hook-receiver.mjs';

export const GIT_OPS = [
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
  ['clone-blobless', 'partial clone --filter=blob:none (--bare)'],
  ['fetch', 'fetch one new commit'],
  ['fork', 'fork (C git: a local clone copying the packs)'],
  ['migrate', 'migrate from git http-backend (C git: clone --mirror of it)'],
];

const HOOKS = 5;

/**
 * The push again, into a repository with 5 push webhooks: deliveries are queued off the push's
 * path, so its time should be the plain push's within noise. Waits for the deliveries (one per
 * hook and ref) before the next operation is timed, so they do not load it.
 */
async function pushWithHooks(c, size, s, user, run, pushAll, want, timeoutMs) {
  const { hookReceiver, measure, log } = c;
  if (!hookReceiver) return;
  const name = `hooks-${size}-${run}`;
  await createRepo(s.url, user, name);
  await addPushHooks(s.url, user, name, hookReceiver.url, HOOKS);
  const expected = hookReceiver.count + HOOKS * want.length;
  const url = authUrl(s.url, user, user.username, name);
  await measure('push-hooks', size, s, () => pushAll(url));
  sameRefs(remoteRefs(await gitOk(['ls-remote', url], { timeoutMs })), want, `push with hooks to ${s.name}`);
  const waitStart = performance.now();
  if (!(await hookReceiver.waitFor(expected, timeoutMs)))
    log(`${size}: ${hookReceiver.count} webhook deliveries of ${expected} arrived in time`);
  else {
    const s = (performance.now() - waitStart) / 1000;
    const n = HOOKS * want.length;
    log(
      `${size}: ${n} webhook deliveries arrived ${s.toFixed(1)} s after the push (${(n / s).toFixed(1)}/s)`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// One size

/**
 * The git rows for one size. `c` carries this size's setting (size, src: the source repository,
 * servers [cgit, gitflare], user, work: the run's folder, runs, timeoutMs, hookReceiver) and the
 * driver's bookkeeping (log, fail, rec, measure, interleaved).
 */
export async function benchGitSize(c) {
  const { size, src, servers, user, work: WORK, runs: RUNS, timeoutMs } = c;
  const { log, fail, rec, measure, interleaved } = c;
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
      await pushWithHooks(c, size, s, user, run, pushAll, want, timeoutMs);
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

  // A blobless clone walks every commit and tree (no stored pack answers it).
  log(`${size}: clone --filter=blob:none`);
  const treesAndCommits = Number(
    (await gitOk(['-C', src, 'rev-list', '--objects', '--all', '--filter=blob:none', '--count'])).trim(),
  );
  await interleaved('clone-blobless', size, servers, async (s, run) => {
    const dir = join(clients, `blobless-${s.name}-${run}`);
    await measure('clone-blobless', size, s, () =>
      runGit([...v2, 'clone', '-q', '--bare', '--filter=blob:none', readUrl(s), dir], { timeoutMs }),
    );
    sameRefs(await localRefs(dir), want, `blobless clone from ${s.name}`);
    const inPack = /in-pack: (\d+)/.exec(await gitOk(['-C', dir, 'count-objects', '-v']))?.[1];
    if (Number(inPack) !== treesAndCommits)
      throw new Error(`blobless clone from ${s.name}: ${inPack} objects, expected ${treesAndCommits}`);
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
    const commit = await commitOneEdit(writer, clients, path, run);
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
