// A reporter beside the default one. At the end of the run: the slowest test files (so slow files
// are visible), then every failure in a line (file, test, the error's first line, when it failed),
// last, because a CI log is often read from its tail and the default reporter's failure details
// sit above ~170 lines of durations.
import type { Reporter, TestModule } from 'vitest/node';

/** How many of the slowest files are listed. */
const SLOWEST = 25;
const firstLine = (text: string) => (text.split('\n').find((l) => l.trim() !== '') ?? '').slice(0, 300);

export default class FileDurations implements Reporter {
  private started = Date.now();

  onTestRunStart(): void {
    this.started = Date.now();
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const rows = modules
      .map((m) => ({ name: `${m.project.name} ${m.relativeModuleId}`, ms: m.diagnostic().duration }))
      .sort((a, b) => b.ms - a.ms);
    if (rows.length === 0) return;
    const shown = rows.slice(0, SLOWEST);
    const width = Math.max(...shown.map((r) => r.name.length));
    const lines = shown.map((r) => `  ${r.name.padEnd(width)}  ${(r.ms / 1000).toFixed(1).padStart(7)} s`);
    if (rows.length > shown.length) {
      const rest = rows.slice(shown.length);
      const total = rest.reduce((sum, r) => sum + r.ms, 0);
      lines.push(`  (${rest.length} more files, ${(total / 1000).toFixed(1)} s in all)`);
    }
    process.stdout.write(`\nTest files by duration:\n${lines.join('\n')}\n`);
    process.stdout.write(this.failures(modules));
  }

  /** One line per failed test, and per file whose hooks or import failed. */
  private failures(modules: ReadonlyArray<TestModule>): string {
    const lines: string[] = [];
    for (const m of modules) {
      const file = `${m.project.name} ${m.relativeModuleId}`;
      for (const e of m.errors()) lines.push(`  ${file}: ${firstLine(e.message ?? String(e))}`);
      for (const t of m.children.allTests('failed')) {
        const result = t.result();
        const error = result.state === 'failed' ? result.errors[0] : undefined;
        const cause = error?.cause as { message?: string } | undefined;
        const d = t.diagnostic();
        // When it ended, in seconds from the run's start: failures that end together share a cause.
        const at = d ? ` (ended at ${((d.startTime + d.duration - this.started) / 1000).toFixed(0)} s)` : '';
        const why = [error?.message, cause?.message].filter(Boolean).map((s) => firstLine(String(s)));
        lines.push(`  ${file} > ${t.fullName}${at}: ${why.join(' / caused by: ')}`);
      }
    }
    return lines.length === 0 ? '' : `\nFailed:\n${lines.join('\n')}\n`;
  }
}
