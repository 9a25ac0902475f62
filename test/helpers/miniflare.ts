// Miniflare inside a test's own process, its scratch folder removed with it.
import { Miniflare, type MiniflareOptions } from 'miniflare';
import { makeTempDir, removeDir } from './git';

export interface ScratchMiniflare {
  readonly mf: Miniflare;
  /** Stops workerd, then removes the scratch folder. */
  dispose(): Promise<void>;
}

/**
 * Miniflare keeps what is not persisted (SQLite Durable Objects among it: tens of MB) in a folder
 * of the system's temporary directory, and `dispose` starts removing it without waiting for the
 * removal, so a test worker that exits soon after leaves it behind. This one's folder is made
 * here (the constructor reads `TMPDIR` once) and removed when `dispose` has resolved.
 */
export function startMiniflare(options: MiniflareOptions): ScratchMiniflare {
  const scratch = makeTempDir('gitflare-miniflare-');
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = scratch;
  let mf: Miniflare;
  try {
    mf = new Miniflare(options);
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
  return {
    mf,
    async dispose() {
      await mf.dispose();
      removeDir(scratch);
    },
  };
}
