// Running git for the benchmark: a child git timed and never rejecting, and the refs checks every
// row makes (a result's refs against the source's).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitEnv } from './bench-repo.mjs';

/**
 * Runs git; resolves {code, stdout, stderr, ms}. Never rejects; callers judge the result.
 * `onStderr(text)` sees git's messages as they come (its progress, with --progress).
 */
export function runGit(args, { cwd, timeoutMs, env, onStderr } = {}) {
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

export async function gitOk(args, opts) {
  const r = await runGit(args, opts);
  if (r.code !== 0)
    throw new Error(`git ${redact(args.join(' '))} failed (${r.code}): ${redact(r.stderr.trim())}`);
  return r.stdout;
}

/** Tokens are embedded in Gitflare URLs; keep them out of messages. */
export function redact(s) {
  return s.replace(/\/\/([^:/@\s]+):[^@/\s]+@/g, '//$1:***@');
}

/** refs/heads and refs/tags of a local repository: "oid refname" lines, sorted. */
export async function localRefs(dir) {
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
export function remoteRefs(lsRemoteOut) {
  return lsRemoteOut
    .trim()
    .split('\n')
    .filter((l) => /\trefs\/(heads|tags)\//.test(l) && !l.endsWith('^{}'))
    .map((l) => l.replace('\t', ' '))
    .sort();
}

export function sameRefs(got, want, what) {
  const a = got.join('\n');
  const b = want.join('\n');
  if (a === b) return;
  const missing = want.filter((l) => !got.includes(l)).slice(0, 5);
  const extra = got.filter((l) => !want.includes(l)).slice(0, 5);
  throw new Error(
    `${what}: refs differ from the source (${got.length} vs ${want.length} refs); missing ${JSON.stringify(missing)}, unexpected ${JSON.stringify(extra)}`,
  );
}

/**
 * One new commit on `main` of the bare repository `writer`, editing the file `path` (a line
 * appended, as a developer would), dated by `run` so runs are reproducible; `scratch` holds its
 * index. Returns the commit's id.
 */
export async function commitOneEdit(writer, scratch, path, run) {
  const env = gitEnv({
    GIT_INDEX_FILE: join(scratch, 'writer.index'),
    GIT_AUTHOR_NAME: 'Bench',
    GIT_AUTHOR_EMAIL: 'bench@example.com',
    GIT_AUTHOR_DATE: `${1_900_000_000 + run} +0000`,
    GIT_COMMITTER_NAME: 'Bench',
    GIT_COMMITTER_EMAIL: 'bench@example.com',
    GIT_COMMITTER_DATE: `${1_900_000_000 + run} +0000`,
  });
  const parent = (await gitOk(['-C', writer, 'rev-parse', 'main'])).trim();
  const content = `${await gitOk(['-C', writer, 'cat-file', 'blob', `main:${path}`])}bench fetch ${run}\n`;
  const blobFile = join(scratch, 'writer.blob');
  writeFileSync(blobFile, content);
  const blob = (await gitOk(['-C', writer, 'hash-object', '-w', blobFile])).trim();
  await gitOk(['-C', writer, 'read-tree', 'main'], { env });
  await gitOk(['-C', writer, 'update-index', '--cacheinfo', `100644,${blob},${path}`], { env });
  const tree = (await gitOk(['-C', writer, 'write-tree'], { env })).trim();
  const commit = (
    await gitOk(['-C', writer, 'commit-tree', tree, '-p', parent, '-m', `Bench fetch ${run}`], { env })
  ).trim();
  await gitOk(['-C', writer, 'update-ref', 'refs/heads/main', commit, parent]);
  return commit;
}
