// Types for the benchmark's repository generator, which the end-to-end tests reuse.
export const SIZES: Record<'small' | 'medium' | 'large', Record<string, number>>;
export function gitEnv(extra?: Record<string, string>): NodeJS.ProcessEnv;
export function packBytes(dir: string): number;
export function ensureRepo(
  cacheDir: string,
  size: 'small' | 'medium' | 'large',
  log?: (msg: string) => void,
): Promise<string>;
export function benchGit(dir: string, args: string[], opts?: { input?: string; date?: string }): string;
