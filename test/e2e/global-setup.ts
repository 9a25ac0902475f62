import { availableParallelism } from 'node:os';
import type { TestProject } from 'vitest/node';
import { startRenovateInstall } from '../helpers/renovate-install';
import { buildApp, type RunningServer, startServer } from './server-process';
import { type ServerWatch, watchServer } from './server-watch';

let servers: RunningServer[] = [];
let watches: ServerWatch[] = [];
/** How much of a server's own log the teardown prints after a stall. */
const LOG_TAIL = 4_000;

export async function setup(project: TestProject): Promise<void> {
  // First: minutes of network-bound install overlap the build and the other files' tests.
  startRenovateInstall();
  buildApp();
  // One server per test worker (test/helpers/server.ts picks it): files run side by side, and
  // locally one isolate with a Worker's heap cap holds every repository of a server, so two
  // files' heavy pushes on one server could exhaust it where each alone fits.
  // vitest's own default when maxWorkers is unset: one less than the cores (run mode).
  const workers =
    Number(project.config.maxWorkers || project.vitest.config.maxWorkers) ||
    Math.max(availableParallelism() - 1, 1);
  servers = await Promise.all(Array.from({ length: workers }, () => startServer()));
  watches = servers.map((s, i) => watchServer(s, `server ${i + 1} (port ${s.port})`));
  project.provide(
    'baseUrls',
    servers.map((s) => s.url),
  );
}

export async function teardown(): Promise<void> {
  const records = await Promise.all(watches.map((w) => w.stop()));
  records.forEach((record, i) => {
    if (record.length === 0) return;
    // What it printed once up (the migrations' table before it says nothing of a stall).
    const full = servers[i].log();
    const log = full.slice(Math.max(0, full.indexOf('is ready on')));
    process.stdout.write(
      `\nShared server ${i + 1} answered slowly or not at all:\n  ${record.join('\n  ')}\n` +
        `Its log since it started (last ${LOG_TAIL} characters):\n${log.slice(-LOG_TAIL) || '(empty)'}\n`,
    );
  });
  await Promise.all(servers.map((s) => s.stop()));
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared servers' URLs, one per test worker. */
    baseUrls: string[];
  }
}
