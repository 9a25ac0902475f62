// Types for gitflare.mjs, whose process helpers the end-to-end tests share (server-process.ts).
export function freePort(): Promise<number>;
export function buildApp(): void;
/** Kills a whole process group: SIGTERM, then SIGKILL after `graceMs` if it is still there. */
export function killGroup(pgid: number, graceMs?: number): Promise<void>;
export interface Gitflare {
  url: string;
  pid: number;
  log(): string;
  stop(): Promise<void>;
}
export function startGitflare(
  parentDir: string,
  onSpawn?: (pgid: number) => void,
  onOutput?: (text: string) => void,
): Promise<Gitflare>;
