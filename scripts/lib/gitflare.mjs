// Gitflare as the benchmark runs it: the built app on workerd (through scripts/start.mjs) in its
// own process group with a fresh state directory. The tests' server (test/e2e/server-process.ts)
// shares the process helpers; accounts and repositories are made with accounts.mjs.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { WORKER_HEAP_FLAGS } from './workerd-heap-cap.mjs';

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function buildApp() {
  const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('vite build failed');
}

/** Kills a whole process group: politely, then for sure. */
export async function killGroup(pgid, graceMs = 1000) {
  const kill = (sig) => {
    try {
      process.kill(-pgid, sig);
      return true;
    } catch (err) {
      if (err.code === 'ESRCH') return false;
      throw err;
    }
  };
  if (!kill('SIGTERM')) return;
  for (let waited = 0; waited < graceMs; waited += 100) {
    await new Promise((r) => setTimeout(r, 100));
    try {
      process.kill(-pgid, 0);
    } catch {
      return; // the group is gone
    }
  }
  kill('SIGKILL');
}

/** A line V8's --trace-gc prints (`[pid:isolate] ...`): fed to `onOutput`, kept out of the log. */
const V8_TRACE_LINE = /^\[\d+:0x[0-9a-f]+\].*\n?/gm;

/**
 * Starts the built app; `parentDir` holds the fresh state directory. `onSpawn(pgid)` learns the
 * process group at once, so a caller interrupted during the (long) start can still stop it;
 * `onOutput(text)` sees all it prints (V8's traces among it).
 */
export async function startGitflare(parentDir, onSpawn = () => undefined, onOutput = () => undefined) {
  const port = await freePort();
  const stateDir = mkdtempSync(join(parentDir, 'gitflare-state-'));
  const child = spawn('node', ['scripts/start.mjs', '--no-build'], {
    detached: true, // its own process group: memory is sampled, and it is stopped, as a group
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      // Compaction waits until after the run: an alarm compacting one repository would take the
      // single local isolate from the operation being timed on another (in production they run
      // on separate isolates).
      COMPACT_DELAY_MS: '3600000',
      // The packs are copied to R2 when the benchmark runs maintenance: until then the object
      // serves clones (the worker-clone rows time both).
      PACK_COPY_DELAY_MS: '3600000',
      // The isolate's heap capped near a production Worker's (see workerd-heap-cap.mjs).
      GITFLARE_V8_FLAGS: WORKER_HEAP_FLAGS,
      // Migrations fetch from the C git server beside it, on this machine.
      ALLOWED_HOST_LIST: 'loopback',
      ...process.env,
      PORT: String(port),
      GITFLARE_STATE: stateDir,
    },
  });
  onSpawn(child.pid);
  // The recent output only: enough to explain a failure, bounded however long the run.
  let log = '';
  const keep = (d) => {
    const text = String(d);
    onOutput(text);
    log = (log + text.replace(V8_TRACE_LINE, '')).slice(-65536);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Gitflare exited early:\n${log}`);
    try {
      const res = await fetch(`${url}/api/v1/version`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await killGroup(child.pid);
      throw new Error(`Gitflare did not start within 180 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    pid: child.pid,
    log: () => log,
    async stop() {
      await killGroup(child.pid);
      rmSync(stateDir, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}
