// Starts the built app on workerd (scripts/start.mjs) in its own process group with a fresh state
// directory, on a free port, and stops the whole group afterwards.
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, killGroup } from '../../scripts/lib/gitflare.mjs';
import { WORKER_HEAP_FLAGS } from '../../scripts/lib/workerd-heap-cap.mjs';

export { buildApp, freePort } from '../../scripts/lib/gitflare.mjs';

const TEST_SETTINGS: Record<string, string> = {
  // No maintenance alarm during a test: one firing between a test's steps would change its packs
  // under it. Tests run maintenance on demand (test/helpers/maintenance.ts).
  COMPACT_DELAY_MS: '3600000',
  // Packs are copied to R2 (for clones the Worker streams) when a test runs maintenance, never
  // by an alarm firing mid-test: a test sees the object's answer until then.
  PACK_COPY_DELAY_MS: '3600000',
  // Credentials are checked at the time a test names (src/auth/clock.ts): expiry without waiting.
  GITFLARE_TEST_CLOCK: '1',
  // Webhooks, migrations and mirrors in tests reach servers on this machine only.
  ALLOWED_HOST_LIST: 'loopback',
  // Failed webhook deliveries are retried when a test says so (POST .../hooks/deliver-due with
  // the test clock), never by an alarm firing mid-test.
  WEBHOOK_RETRY_DELAY_MS: '3600000',
  // A Gitea-service migration's import takes several alarm steps even for the tests' small sources.
  IMPORT_STEP_SUBREQUESTS: '12',
  // Release assets: small enough that a test can go past it, above one R2 part (5 MiB).
  MAX_ASSET_BYTES: String(12 * 1024 * 1024),
};

export interface RunningServer {
  url: string;
  port: number;
  pid: number;
  stateDir: string;
  /** What the server has printed so far. */
  log(): string;
  stop(): Promise<void>;
}

/** The port chosen was taken by another process before workerd bound it. */
class PortTaken extends Error {}

/**
 * A free port is chosen before the migrations are applied and bound by workerd only after them,
 * seconds later: meanwhile another server of a parallel test file may be given that port by the
 * system (for one of its own sockets). Only that refusal is met with a fresh start on another port.
 */
const START_ATTEMPTS = 3;

export async function startServer(opts: { env?: Record<string, string> } = {}): Promise<RunningServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts);
    } catch (err) {
      if (!(err instanceof PortTaken) || attempt === START_ATTEMPTS) throw err;
    }
  }
}

async function startOnce(opts: { env?: Record<string, string> }): Promise<RunningServer> {
  const port = await freePort();
  const root = mkdtempSync(join(tmpdir(), 'gitflare-e2e-'));
  // Data lives in `state` unless the caller reuses an earlier server's (a restart).
  const stateDir = opts.env?.GITFLARE_STATE ?? join(root, 'state');
  // A private copy of the build: wrangler reloads when its files change, and another test run
  // (or a developer) may rebuild dist/ meanwhile.
  const distDir = join(root, 'dist');
  cpSync('dist', distDir, { recursive: true });
  const child: ChildProcess = spawn('node', ['scripts/start.mjs', '--no-build'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(port),
      GITFLARE_DIST: distDir,
      // The isolate's heap capped near a production Worker's: what outgrows one fails here too.
      GITFLARE_V8_FLAGS: WORKER_HEAP_FLAGS,
      ...TEST_SETTINGS,
      ...opts.env,
      GITFLARE_STATE: stateDir,
      // The runtime's scratch files too go where stop() removes them, even if it must kill.
      TMPDIR: root,
    },
  });
  let log = '';
  child.stdout?.on('data', (d) => {
    log += d;
  });
  child.stderr?.on('data', (d) => {
    log += d;
  });
  const url = `http://127.0.0.1:${port}`;
  const pid = child.pid ?? 0;
  // Generous: on a loaded 2-core machine applying the migrations and starting workerd took over 100 s.
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (child.exitCode !== null) {
      const message = `server exited early:\n${log}`;
      if (!log.includes(`Address already in use (127.0.0.1:${port})`)) throw new Error(message);
      await killGroup(pid);
      rmSync(root, { recursive: true, force: true });
      throw new PortTaken(message);
    }
    try {
      const res = await fetch(`${url}/api/v1/version`);
      if (res.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      await killGroup(pid);
      throw new Error(`server did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    port,
    pid,
    stateDir,
    log: () => log,
    async stop() {
      await killGroup(pid);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
