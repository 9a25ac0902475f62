// A reporter beside the default one: each test file's duration at the end of the run, slowest
// first, so slow files are visible.
import type { Reporter, TestModule } from 'vitest/node';

export default class FileDurations implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const rows = modules
      .map((m) => ({ name: `${m.project.name} ${m.relativeModuleId}`, ms: m.diagnostic().duration }))
      .sort((a, b) => b.ms - a.ms);
    if (rows.length === 0) return;
    const width = Math.max(...rows.map((r) => r.name.length));
    const lines = rows.map((r) => `  ${r.name.padEnd(width)}  ${(r.ms / 1000).toFixed(1).padStart(7)} s`);
    process.stdout.write(`\nTest files by duration:\n${lines.join('\n')}\n`);
  }
}
