// Rewrites only the part of README.md between a benchmark's markers, leaving the rest as the
// people who write it left it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** `marker` names the block: `<!-- bench:start -->` ... `<!-- bench:end -->` by default. */
export function writeBenchSection(path, body, marker = 'bench') {
  const START = `<!-- ${marker}:start -->`;
  const END = `<!-- ${marker}:end -->`;
  const text = existsSync(path) ? readFileSync(path, 'utf8') : `${START}\n${END}\n`;
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a < 0 || b < a) throw new Error(`${path} has no ${START} ... ${END} section to fill in`);
  const next = `${text.slice(0, a + START.length)}\n${body.trim()}\n${text.slice(b)}`;
  writeFileSync(path, next);
}
