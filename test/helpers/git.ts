import { execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Deterministic identity and dates so fixtures are reproducible. */
export const GIT_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'author@example.com',
  GIT_AUTHOR_DATE: '1700000000 +0000',
  GIT_COMMITTER_NAME: 'Test Committer',
  GIT_COMMITTER_EMAIL: 'committer@example.com',
  GIT_COMMITTER_DATE: '1700000000 +0000',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  LC_ALL: 'C',
};

const here = dirname(fileURLToPath(import.meta.url));
export const MAKE_REPO = resolve(here, '../fixtures/make-repo.sh');

/** Run git in `cwd`; returns stdout as bytes. Throws with stderr on failure. */
export function gitBytes(cwd: string, args: readonly string[], input?: Uint8Array | string): Uint8Array {
  // Copy into a plain Uint8Array: Buffer#slice would share memory and surprise tests.
  return new Uint8Array(
    execFileSync('git', args, {
      cwd,
      env: GIT_ENV,
      input,
      maxBuffer: 1 << 30,
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
  );
}

/** How the tests run git: our environment, text output, no output limit to speak of. */
function runOptions(cwd: string, input: Uint8Array | string | undefined) {
  return {
    cwd,
    env: GIT_ENV,
    input,
    maxBuffer: 1 << 30,
    encoding: 'utf8' as const,
    stdio: ['pipe', 'pipe', 'pipe'] as ('pipe' | 'inherit')[],
  };
}

/** Run git in `cwd`; returns stdout as text. */
export function git(cwd: string, args: readonly string[], input?: Uint8Array | string): string {
  return execFileSync('git', args, runOptions(cwd, input));
}

/**
 * Like `git`, without blocking this process: a test that then talks HTTP to the server keeps
 * noticing the server closing idle kept-alive connections (a blocked process reuses a dead one).
 */
export function gitAsync(cwd: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      { cwd, env: GIT_ENV, maxBuffer: 1 << 30, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`git ${args.join(' ')} failed: ${stderr}`));
        else resolve(stdout);
      },
    );
  });
}

/**
 * Arguments of a mirror clone by a client that checks every object it receives (and so refuses
 * an object sent twice), with progress on stderr ("pack-reused N").
 */
export function strictCloneArgs(url: string, dest: string): string[] {
  return ['-c', 'transfer.fsckObjects=true', 'clone', '--progress', '--mirror', url, dest];
}

/** Run git and report exit code and output (stderr too, also on success) instead of throwing. */
export function gitTry(
  cwd: string,
  args: readonly string[],
  input?: Uint8Array,
): { code: number; stdout: string; stderr: string } {
  const r = spawnSync('git', args, runOptions(cwd, input));
  return { code: r.status ?? 1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Stream git's stdout as an async iterable (for large packs). */
export async function* gitStream(
  cwd: string,
  args: readonly string[],
  input?: string,
): AsyncGenerator<Uint8Array> {
  const child = spawn('git', args, { cwd, env: GIT_ENV, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Uint8Array) => {
    stderr += String(d);
  });
  const exited = new Promise<number>((res) => child.on('close', (code) => res(code ?? 1)));
  child.stdin.end(input ?? '');
  for await (const chunk of child.stdout) yield new Uint8Array(chunk as Uint8Array);
  const code = await exited;
  if (code !== 0) throw new Error(`git ${args.join(' ')} failed (${code}): ${stderr}`);
}

export function makeTempDir(prefix = 'gitflare-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Temporary directories of one test file, removed together when it ends. */
export class TempDirs {
  private readonly dirs: string[] = [];

  /** A new empty directory. */
  make(): string {
    return this.keep(makeTempDir());
  }

  /** Remove `dir` with the others. */
  keep(dir: string): string {
    this.dirs.push(dir);
    return dir;
  }

  removeAll(): void {
    for (const d of this.dirs.splice(0)) removeDir(d);
  }
}

/** Build a fixture repository with test/fixtures/make-repo.sh; returns its path. */
export function makeRepo(commits = 300, largeMb = 0): string {
  const dir = makeTempDir('gitflare-repo-');
  execFileSync('sh', [MAKE_REPO, dir, String(commits), String(largeMb)], {
    env: GIT_ENV,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return dir;
}

/** Split bytes into chunks of `size` (to test arbitrary chunk boundaries). */
export async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, Math.min(i + size, bytes.length));
}

/** Collect a ReadableStream into one array (tests only). */
export async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let n = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    n += value.length;
  }
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Byte equality for tests (vitest's deep equality is slow on large typed arrays). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return (
    Buffer.compare(
      Buffer.from(a.buffer, a.byteOffset, a.length),
      Buffer.from(b.buffer, b.byteOffset, b.length),
    ) === 0
  );
}
