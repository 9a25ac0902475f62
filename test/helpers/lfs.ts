// Git LFS in tests: the real `git lfs` client with its filters installed in a private global
// configuration, and the batch API called directly.
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GIT_ENV } from './git';

export const LFS_TYPE = 'application/vnd.git-lfs+json';

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** An environment for git whose global configuration (in `dir`) has git-lfs's filters. */
export function lfsEnv(dir: string): NodeJS.ProcessEnv {
  const config = join(dir, 'gitconfig');
  writeFileSync(config, '');
  const env = { ...GIT_ENV, GIT_CONFIG_GLOBAL: config, GIT_TERMINAL_PROMPT: '0' };
  execFileSync('git', ['lfs', 'install', '--skip-repo'], { env, stdio: 'pipe' });
  return env;
}

/** Runs git (without blocking the test's process); stdout and stderr together on success. */
export function lfsGit(env: NodeJS.ProcessEnv, cwd: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, env, maxBuffer: 1 << 28, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`git ${args.join(' ')} failed: ${stderr}${stdout}`));
      else resolve(`${stdout}${stderr}`);
    });
  });
}

export interface BatchObject {
  oid: string;
  size: number;
  actions?: Record<string, { href: string; header?: Record<string, string> }>;
  error?: { code: number; message: string };
}

/** POSTs a batch request; the status and the answer's JSON. */
export async function batch(
  base: string,
  repo: string,
  operation: 'upload' | 'download',
  objects: { oid: string; size: number }[],
  headers: Record<string, string> = {},
): Promise<{ status: number; body: { objects?: BatchObject[]; message?: string }; headers: Headers }> {
  const res = await fetch(`${base}/${repo}.git/info/lfs/objects/batch`, {
    method: 'POST',
    headers: { Accept: LFS_TYPE, 'Content-Type': LFS_TYPE, ...headers },
    body: JSON.stringify({ operation, transfers: ['basic'], objects }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {}, headers: res.headers };
}

/** Performs an action the batch API gave (PUT for upload, GET for download). */
export function runAction(
  action: { href: string; header?: Record<string, string> },
  method: 'PUT' | 'GET',
  body?: Uint8Array,
): Promise<Response> {
  return fetch(action.href, { method, headers: action.header ?? {}, body: body && new Uint8Array(body) });
}
