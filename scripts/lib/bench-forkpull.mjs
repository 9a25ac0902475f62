// The benchmark's cross-repository pull request row: a fork's new branch (20 commits on main)
// brought into the upstream. Gitflare: `POST .../pulls` with `head: "{forker}:{branch}"`, which
// answers once the upstream's object has fetched the branch's commits from the fork's object and
// stored them as refs/pull/{n}/head; C git: the upstream fetching the same branch from the fork
// over http-backend into refs/pull/{n}/head, which is what a host built on C git does.
import { join } from 'node:path';
import { authUrl, createRepo, createUser } from './accounts.mjs';
import { benchGit } from './bench-repo.mjs';

export const FORKPULL_OPS = [
  ['fork-pull', "pull request from a fork: the upstream's first fetch of a 20-commit branch"],
];

const COMMITS = 20;

/** Adds COMMITS commits on main of the bare repository `dir` as branch `name`; returns its tip. */
function branchOfCommits(dir, name, run) {
  const git = (args, input, date) => benchGit(dir, args, { input, date });
  let tip = git(['rev-parse', 'main']);
  const base = git(['ls-tree', 'main']);
  for (let i = 0; i < COMMITS; i++) {
    const date = `${1_960_000_000 + run * 100 + i} +0000`;
    const blob = git(['hash-object', '-w', '--stdin'], `fork pull ${run} commit ${i}\n`.repeat(50 + i));
    // mktree orders the entries itself.
    const tree = git(['mktree'], `${base}\n100644 blob ${blob}\tbench-fork-pull-${run}.txt\n`);
    tip = git(['commit-tree', tree, '-p', tip, '-m', `Bench fork pull ${run}.${i}`], undefined, date);
  }
  git(['update-ref', `refs/heads/${name}`, tip]);
  return tip;
}

/**
 * The row for one size. `ctx`: {size, src (the generated repository), servers: [cgit, gitflare?],
 * user, cgitRoot, clients (a scratch folder), timeoutMs, log, fail, runGit, gitOk, measure,
 * interleaved}.
 */
export async function benchForkPull(ctx) {
  const { size, src, servers, user, cgitRoot, clients, timeoutMs, log, runGit, gitOk, measure, interleaved } =
    ctx;
  const [cgit, gf] = servers;
  const name = `forkpull-${size}`;
  log(`${size}: pull request from a fork`);
  // Where the branches are made: a clone sharing the generated repository's objects.
  const work = join(clients, `${name}-work.git`);
  await gitOk(['clone', '-q', '--bare', '--shared', src, work], { timeoutMs });
  // C git: the upstream and the fork, both served by http-backend.
  const upstream = join(cgitRoot, `${name}.git`);
  const cgitFork = join(cgitRoot, `${name}-fork.git`);
  await gitOk(['clone', '-q', '--bare', '--shared', src, upstream], { timeoutMs });
  await gitOk(['clone', '-q', '--bare', '--shared', src, cgitFork], { timeoutMs });

  let forker = null;
  let ready = false;
  if (gf) {
    try {
      await createRepo(gf.url, user, name);
      await gitOk(['-C', src, 'push', '-q', '--mirror', authUrl(gf.url, user, user.username, name)], {
        timeoutMs,
      });
      forker = await createUser(gf.url, 'bench-fork-pull');
      const res = await fetch(`${gf.url}/api/v1/repos/${user.username}/${name}/forks`, {
        method: 'POST',
        headers: { Authorization: `token ${forker.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name }),
      });
      if (res.status !== 202) throw new Error(`fork answered ${res.status}: ${await res.text()}`);
      ready = true;
    } catch (err) {
      ctx.fail(
        'fork-pull',
        size,
        gf.name,
        `the upstream and its fork could not be made: ${err.message ?? err}`,
      );
    }
  }
  const servedBy = ready ? servers : [cgit];

  const tips = new Map();
  await interleaved('fork-pull', size, servedBy, async (s, run) => {
    const branch = `feature-${run}`;
    if (!tips.has(run)) tips.set(run, branchOfCommits(work, branch, run));
    const tip = tips.get(run);
    const ref = `refs/pull/${run + 1}/head`;
    if (s === cgit) {
      await gitOk(['-C', work, 'push', '-q', cgitFork, `${branch}:refs/heads/${branch}`], { timeoutMs });
      await measure('fork-pull', size, s, () =>
        runGit(['-C', upstream, 'fetch', '-q', `${cgit.url}/${name}-fork.git`, `${branch}:${ref}`], {
          timeoutMs,
        }),
      );
      const got = (await gitOk(['-C', upstream, 'rev-parse', ref])).trim();
      if (got !== tip) throw new Error(`C git's upstream has ${ref} at ${got}, expected ${tip}`);
      return;
    }
    const forkUrl = authUrl(gf.url, forker, forker.username, name);
    await gitOk(['-C', work, 'push', '-q', forkUrl, `${branch}:refs/heads/${branch}`], { timeoutMs });
    const pulls = `${gf.url}/api/v1/repos/${user.username}/${name}/pulls`;
    let number = 0;
    await measure('fork-pull', size, s, async () => {
      const t0 = process.hrtime.bigint();
      const res = await fetch(pulls, {
        method: 'POST',
        headers: { Authorization: `token ${forker.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ head: `${forker.username}:${branch}`, base: 'main', title: `Bench ${run}` }),
      });
      const text = await res.text();
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (res.status === 201) number = JSON.parse(text).number;
      return {
        code: res.status === 201 ? 0 : 1,
        stdout: '',
        stderr: `${pulls} answered ${res.status}: ${text}`,
        ms,
      };
    });
    const url = authUrl(gf.url, user, user.username, name);
    const head = `refs/pull/${number}/head`;
    const got = (await gitOk(['ls-remote', url, head], { timeoutMs })).split('\t')[0];
    if (got !== tip)
      throw new Error(`Gitflare's upstream has ${head} at ${got || 'nothing'}, expected ${tip}`);
  });
}
