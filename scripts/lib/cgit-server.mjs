// C git's side of the benchmark: `git http-backend` behind a small HTTP server (git-http-server.mjs),
// started in a process group of its own so that the backend and its children are sampled and
// stopped together.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { killGroup } from './gitflare.mjs';

/**
 * Serves the repositories under `root`; `groups` holds the process groups not stopped yet (an
 * interrupted run kills what is left in it).
 */
export async function startCgit(root, groups) {
  const child = spawn('node', [join('scripts', 'lib', 'git-http-server.mjs'), root], {
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  groups.add(child.pid);
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
      groups.delete(child.pid);
    },
  };
}
