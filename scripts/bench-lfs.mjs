#!/usr/bin/env node
// `node scripts/bench-lfs.mjs [MiB]`: one file of MiB random bytes (default 50) pushed and cloned
// with Git LFS, against the same bytes committed to plain git, on one Gitflare (the built app in
// dist/, on workerd with the isolate's heap capped as in the main benchmark). Prints the time and
// the server's peak memory (RSS of its process group) of each; every clone is checked byte for
// byte. Run `npm run build` first.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authUrl, createRepo, createUser } from './lib/accounts.mjs';
import { startGitflare } from './lib/gitflare.mjs';
import { sampleGroup } from './lib/procmem.mjs';

const mib = Number(process.argv[2] ?? 50);
const work = mkdtempSync(join(tmpdir(), 'gitflare-bench-lfs-'));
const config = join(work, 'gitconfig');
writeFileSync(config, '');
const env = {
  ...process.env,
  GIT_CONFIG_GLOBAL: config,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_TERMINAL_PROMPT: '0',
  GIT_AUTHOR_NAME: 'Bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'Bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
};

/** Runs git without blocking this process: a blocked one would later reuse an HTTP connection
 * the server has closed meanwhile. */
function git(cwd, args) {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, env, maxBuffer: 1 << 26 }, (err, _out, stderr) =>
      err ? reject(new Error(`git ${args.join(' ')}: ${stderr}`)) : resolve(),
    );
  });
}

const sha256 = (b) => createHash('sha256').update(b).digest('hex');

const server = await startGitflare(work);
try {
  await git(work, ['lfs', 'install', '--skip-repo']);
  const user = await createUser(server.url, 'bench-lfs');
  const bytes = randomBytes(mib * 1024 * 1024);
  const rows = [];
  const timed = async (name, cwd, args) => {
    const sampler = sampleGroup(server.pid, 50);
    const t = performance.now();
    await git(cwd, args);
    const ms = performance.now() - t;
    const mem = sampler.stop();
    rows.push({ name, seconds: (ms / 1000).toFixed(2), peakServerMiB: (mem.peakTotalKiB / 1024).toFixed(0) });
  };
  for (const lfs of [false, true]) {
    const name = lfs ? 'lfs' : 'plain';
    const repo = await createRepo(server.url, user, `bench-${name}`);
    const url = authUrl(server.url, user, user.username, repo.name);
    const src = join(work, `src-${name}`);
    mkdirSync(src);
    await git(src, ['init', '-q', '-b', 'main']);
    if (lfs) await git(src, ['lfs', 'track', '*.bin']);
    writeFileSync(join(src, 'data.bin'), bytes);
    await git(src, ['add', '.']);
    await git(src, ['commit', '-q', '-m', 'data']);
    await timed(`${name} push (${mib} MiB)`, src, ['push', '-q', url, 'main']);
    await timed(`${name} clone (${mib} MiB)`, work, ['clone', '-q', url, `clone-${name}`]);
    if (sha256(readFileSync(join(work, `clone-${name}`, 'data.bin'))) !== sha256(bytes)) {
      throw new Error(`${name}: the clone's bytes differ`);
    }
  }
  console.table(rows);
} finally {
  await server.stop();
  rmSync(work, { recursive: true, force: true });
}
