import type { TestProject } from 'vitest/node';
import { startRenovateInstall } from '../helpers/renovate-install';
import { buildApp, type RunningServer, startServer } from './server-process';

let server: RunningServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  // First: minutes of network-bound install overlap the build and the other files' tests.
  startRenovateInstall();
  buildApp();
  server = await startServer();
  project.provide('baseUrl', server.url);
  project.provide('serverPid', server.pid);
}

export async function teardown(): Promise<void> {
  await server?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    serverPid: number;
  }
}
