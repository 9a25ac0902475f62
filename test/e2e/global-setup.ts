import { availableParallelism } from 'node:os';
import type { TestProject } from 'vitest/node';
import { startRenovateInstall } from '../helpers/renovate-install';
import { buildApp, type RunningServer, startServer } from './server-process';

let servers: RunningServer[] = [];

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
  project.provide(
    'baseUrls',
    servers.map((s) => s.url),
  );
}

export async function teardown(): Promise<void> {
  await Promise.all(servers.map((s) => s.stop()));
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared servers' URLs, one per test worker. */
    baseUrls: string[];
  }
}
