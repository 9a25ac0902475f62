// The order test files are handed to the workers. With workers side by side the run ends when the
// last long file does, so the files that took longest start first: vitest orders by the durations
// it cached from an earlier run, but a clean checkout (CI) has none and falls back to file size,
// which starts a short file of many tests before a long one of few (interop's 10,000 refs).
// The Renovate test goes last: it waits for the install the global setup starts (minutes).
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Files over ~15 s in a full run of two workers on 2 cores, slowest first. */
const SLOW_FIRST = [
  'test/e2e/heap-cap.test.ts',
  'test/e2e/interop.test.ts',
  'test/e2e/faults.test.ts',
  'test/e2e/git-push-clone.test.ts',
  'src/git/protocol/interop.test.ts',
  'test/e2e/migrate-ui-access.test.ts',
  'test/e2e/lfs-storage.test.ts',
  'test/e2e/pack-index.test.ts',
  'test/e2e/ui-browse.test.ts',
  'test/e2e/cached-pack-rebuild.test.ts',
  'test/e2e/webhooks.test.ts',
  'test/e2e/settings-ui.test.ts',
  'test/e2e/migrate-ui.test.ts',
  'test/e2e/request-limits.test.ts',
  'test/e2e/orgs-pages-ui.test.ts',
  'test/e2e/oauth.test.ts',
  'test/e2e/worker-clone.test.ts',
  'test/e2e/issues-ui.test.ts',
  'test/e2e/migrations.test.ts',
  'test/e2e/forks-ui.test.ts',
  'test/e2e/protection-pages-ui.test.ts',
  'test/e2e/live-access.test.ts',
  'test/e2e/auto-merge.test.ts',
  'test/e2e/releases-ui.test.ts',
];
const LAST = ['test/e2e/renovate.test.ts'];

function rank(file: TestSpecification): number {
  const slow = SLOW_FIRST.findIndex((f) => file.moduleId.endsWith(f));
  if (slow >= 0) return slow - SLOW_FIRST.length;
  return LAST.some((f) => file.moduleId.endsWith(f)) ? 1 : 0;
}

export default class Sequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    // Array.prototype.sort is stable: within a rank, vitest's own order stays.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}
