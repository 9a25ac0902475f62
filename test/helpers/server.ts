// The shared end-to-end server of this test worker: the global setup starts one per worker
// (test/e2e/global-setup.ts), and a file runs on its worker's alone while other files run on theirs.
import { inject } from 'vitest';

export function serverUrl(): string {
  const urls = inject('baseUrls');
  // VITEST_POOL_ID is this worker's slot, 1 to maxWorkers: no two files running at once share one.
  const slot = Number(process.env.VITEST_POOL_ID ?? '1') - 1;
  return urls[slot % urls.length];
}
