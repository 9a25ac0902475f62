// The benchmark's pull-mirror row: a mirror of a repository on C git's http-backend, synced
// after one new commit landed there. Gitflare: `POST .../mirror-sync` (answered once the
// repository's object has fetched and stored the commit); C git: `git fetch --prune` in a
// `clone --mirror` of the same source, which is what `git remote update` runs for a mirror.
import { join } from 'node:path';
import { authUrl } from './accounts.mjs';
import { benchGit } from './bench-repo.mjs';

export const MIRROR_OPS = [
  ['mirror-sync', 'pull mirror sync of one new commit (C git: fetch into a mirror)'],
];

/** POST to Gitflare's API, timed as runGit results are (`ok` is the status that means success). */
async function timedPost(url, who, body, ok) {
  const t0 = process.hrtime.bigint();
  const res = await fetch(url, {
    method: 'POST',
    headers: { Authorization: `token ${who.token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return {
    code: res.status === ok ? 0 : 1,
    stdout: '',
    stderr: `${url} answered ${res.status}: ${text}`,
    ms,
  };
}

/** Commits a new top-level file on main of the bare repository `dir`; returns the commit. */
function commitOneFile(dir, run) {
  const date = `${1_950_000_000 + run} +0000`;
  const git = (args, input) => benchGit(dir, args, { input, date });
  const parent = git(['rev-parse', 'main']);
  const blob = git(['hash-object', '-w', '--stdin'], `mirror sync ${run}\n`);
  // mktree orders the entries itself.
  const tree = git(['mktree'], `${git(['ls-tree', 'main'])}\n100644 blob ${blob}\tbench-mirror-${run}.txt\n`);
  const commit = git(['commit-tree', tree, '-p', parent, '-m', `Bench mirror sync ${run}`]);
  git(['update-ref', 'refs/heads/main', commit, parent]);
  return commit;
}

/**
 * The row for one size. `ctx`: {size, src (the generated repository), servers: [cgit, gitflare?],
 * user, cgitRoot, clients (a scratch folder), timeoutMs, log, fail, runGit, gitOk, measure,
 * interleaved}.
 */
export async function benchMirrors(ctx) {
  const { size, src, servers, user, cgitRoot, clients, timeoutMs, log, runGit, gitOk, measure, interleaved } =
    ctx;
  const [cgit, gf] = servers;
  const name = `mirror-${size}`;
  // The source: a clone sharing the generated repository's objects, so the new commits land
  // beside them and the cached source stays as it is.
  const source = join(cgitRoot, `${name}.git`);
  await gitOk(['clone', '-q', '--bare', '--shared', src, source], { timeoutMs });
  const from = `${cgit.url}/${name}.git`;
  log(`${size}: pull mirror sync`);
  const local = join(clients, `${name}.git`);
  await gitOk(['clone', '-q', '--mirror', from, local], { timeoutMs });
  let mirrored = false;
  if (gf) {
    const made = await timedPost(
      `${gf.url}/api/v1/repos/migrate`,
      user,
      { clone_addr: from, repo_name: name, mirror: true },
      201,
    );
    if (made.code === 0) mirrored = true;
    else ctx.fail('mirror-sync', size, gf.name, `the pull mirror could not be made: ${made.stderr}`);
  }
  const servedBy = mirrored ? servers : [cgit];

  let commit = null;
  let madeFor = -1;
  await interleaved('mirror-sync', size, servedBy, async (s, run) => {
    if (madeFor !== run) {
      commit = commitOneFile(source, run);
      madeFor = run;
    }
    if (s === cgit) {
      await measure('mirror-sync', size, s, () =>
        runGit(['-C', local, 'fetch', '-q', '--prune', 'origin'], { timeoutMs }),
      );
      const got = (await gitOk(['-C', local, 'rev-parse', 'refs/heads/main'])).trim();
      if (got !== commit) throw new Error(`C git's mirror has main at ${got}, expected ${commit}`);
      return;
    }
    const sync = `${gf.url}/api/v1/repos/${user.username}/${name}/mirror-sync`;
    await measure('mirror-sync', size, s, () => timedPost(sync, user, undefined, 200));
    const url = authUrl(gf.url, user, user.username, name);
    const got = (await gitOk(['ls-remote', url, 'refs/heads/main'], { timeoutMs })).split('\t')[0];
    if (got !== commit) throw new Error(`Gitflare's mirror has main at ${got}, expected ${commit}`);
  });
}
