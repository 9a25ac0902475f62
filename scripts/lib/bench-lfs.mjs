// The benchmark's Git LFS rows: one file of incompressible bytes pushed with `git lfs` to
// Gitflare (the pre-push hook uploads it through the batch API to R2, then git pushes the
// pointer), and a fresh clone whose checkout downloads it; against C git's http-backend taking
// the same bytes as an ordinary blob in a plain `git push` and `git clone`, which is what a
// project without LFS would do. Every clone's file is checked against the source's SHA-256.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { authUrl, createRepo } from './accounts.mjs';
import { gitEnv } from './bench-repo.mjs';

/** The file's size per benchmark size, in MiB. */
export const LFS_MIB = { small: 10, medium: 50, large: 200 };

export const LFS_OPS = [
  ['lfs-push', 'push one file with Git LFS (C git: plain push of the same bytes)'],
  ['lfs-clone', 'fresh clone downloading that file with Git LFS (C git: plain clone)'],
];

/** What the Size column says for an LFS row: the file, not the generated repository. */
export const lfsSizeCell = (size) => `${size} (${LFS_MIB[size]} MiB file)`;

const sha256File = (path) =>
  new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (d) => hash.update(d))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });

/** The one source repository of a kind: `data.bin` committed plainly or as an LFS pointer. */
async function sourceRepo(dir, lfs, bytes, env, gitOk) {
  mkdirSync(dir, { recursive: true });
  await gitOk(['init', '-q', '-b', 'main', dir], { env });
  if (lfs) {
    // Filters and the pre-push hook that uploads the objects, for this repository only.
    await gitOk(['-C', dir, 'lfs', 'install', '--local'], { env });
    await gitOk(['-C', dir, 'lfs', 'track', '*.bin'], { env });
  }
  writeFileSync(join(dir, 'data.bin'), bytes);
  await gitOk(['-C', dir, 'add', '.'], { env });
  await gitOk(['-C', dir, 'commit', '-q', '-m', 'data'], { env });
  return (await gitOk(['-C', dir, 'rev-parse', 'main'], { env })).trim();
}

/**
 * The rows for one size. `ctx` carries the benchmark's helpers: {size, servers: [cgit, gitflare?],
 * user, work, cgitRoot, timeoutMs, log, runGit, gitOk, measure, interleaved}.
 */
export async function benchLfs(ctx) {
  const { size, servers, user, work, cgitRoot, timeoutMs, log, runGit, gitOk, measure, interleaved } = ctx;
  const [cgit, gf] = servers;
  const dir = join(work, 'lfs', size);
  mkdirSync(dir, { recursive: true });
  // git-lfs needs its filters in a configuration it can write; the benchmark's own is /dev/null.
  const config = join(dir, 'gitconfig');
  writeFileSync(config, '');
  const env = gitEnv({
    GIT_CONFIG_GLOBAL: config,
    GIT_AUTHOR_NAME: 'Bench',
    GIT_AUTHOR_EMAIL: 'bench@example.com',
    GIT_COMMITTER_NAME: 'Bench',
    GIT_COMMITTER_EMAIL: 'bench@example.com',
  });
  await gitOk(['lfs', 'install', '--skip-repo'], { env });
  const bytes = randomBytes(LFS_MIB[size] * 1024 * 1024);
  const want = createHash('sha256').update(bytes).digest('hex');
  const src = {
    plain: await sourceRepo(join(dir, 'src-plain'), false, bytes, env, gitOk),
    lfs: await sourceRepo(join(dir, 'src-lfs'), true, bytes, env, gitOk),
  };
  const name = (run) => `lfs-${size}-${run}`;
  const url = (s, run) =>
    s === cgit ? `${cgit.url}/${name(run)}.git` : authUrl(gf.url, user, user.username, name(run));

  log(`${size}: LFS push (${LFS_MIB[size]} MiB)`);
  const pushed = new Set();
  await interleaved('lfs-push', size, servers, async (s, run) => {
    const kind = s === cgit ? 'plain' : 'lfs';
    if (s === cgit) await gitOk(['init', '-q', '--bare', '-b', 'main', join(cgitRoot, `${name(run)}.git`)]);
    else await createRepo(gf.url, user, name(run));
    const to = url(s, run);
    await measure('lfs-push', size, s, () =>
      runGit(['-C', join(dir, `src-${kind}`), 'push', '-q', to, 'main'], { env, timeoutMs }),
    );
    const head = (await gitOk(['ls-remote', to, 'refs/heads/main'], { env, timeoutMs })).split('\t')[0];
    if (head !== src[kind]) throw new Error(`push to ${s.name}: main is ${head}, expected ${src[kind]}`);
    if (run === 0) pushed.add(s.name);
  });
  rmSync(join(dir, 'src-plain'), { recursive: true, force: true });
  rmSync(join(dir, 'src-lfs'), { recursive: true, force: true });

  // Each clone reads the first run's repository; its checkout is where git-lfs downloads.
  log(`${size}: LFS clone (${LFS_MIB[size]} MiB)`);
  await interleaved('lfs-clone', size, servers, async (s, run) => {
    if (!pushed.has(s.name)) throw new Error('nothing to clone: the first push failed');
    const to = join(dir, `clone-${s.name}-${run}`);
    await measure('lfs-clone', size, s, () => runGit(['clone', '-q', url(s, 0), to], { env, timeoutMs }));
    const got = await sha256File(join(to, 'data.bin'));
    rmSync(to, { recursive: true, force: true });
    if (got !== want) throw new Error(`clone from ${s.name}: data.bin's SHA-256 is ${got}, expected ${want}`);
  });

  for (let run = 0; run < ctx.runs; run++) {
    rmSync(join(cgitRoot, `${name(run)}.git`), { recursive: true, force: true });
    if (!gf) continue;
    // Gitflare's copies go with their repository (R2's objects are swept in the background).
    const del = await fetch(`${gf.url}/api/v1/repos/${user.username}/${name(run)}`, {
      method: 'DELETE',
      headers: { Authorization: `token ${user.token}` },
    });
    if (del.status !== 204 && del.status !== 404) log(`deleting ${name(run)} answered ${del.status}`);
  }
  rmSync(dir, { recursive: true, force: true });
}
