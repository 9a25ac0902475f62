// Renovate (npm `renovate`, pinned) for the end-to-end test, installed outside the project: a
// ~330 MB tree of 785 packages whose install takes minutes, so the e2e global setup starts it in
// the background at the beginning of the suite (detached, output to a log) and the Renovate test
// awaits it. One install per machine, under the OS temp dir, reused when present; a lock folder
// beside it tells other runs one is under way (or why it failed).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './wait';

export const RENOVATE_VERSION = '39.264.0';
const DIR = join(tmpdir(), `gitflare-renovate-${RENOVATE_VERSION}`);
const LOCK = `${DIR}.installing`;
const BIN = join(DIR, 'node_modules', '.bin', 'renovate');
/** Measured here: 6.5 min on a busy machine (network-bound); a slow mirror gets a wide margin. */
const INSTALL_DEADLINE_MS = 25 * 60_000;

const skipped = () => process.env.RENOVATE_SKIP === '1' || Boolean(process.env.RENOVATE_BIN);

function alive(pid: number): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function lockPid(): number {
  try {
    return Number(readFileSync(join(LOCK, 'pid'), 'utf8'));
  } catch {
    return 0;
  }
}

/** Starts the install unless it is done, under way, or not wanted (RENOVATE_SKIP=1, RENOVATE_BIN). */
export function startRenovateInstall(): void {
  if (skipped() || existsSync(BIN)) return;
  try {
    mkdirSync(LOCK);
  } catch {
    // Another run's install: leave a live one alone; retry a failed or abandoned one.
    if (!existsSync(join(LOCK, 'failed')) && alive(lockPid())) return;
    rmSync(LOCK, { recursive: true, force: true });
    mkdirSync(LOCK);
  }
  const work = `${DIR}.tmp-${process.pid}`;
  // Installed in a folder of its own and renamed when complete, so a half install is never used.
  const script = [
    `rm -rf "${work}" && mkdir -p "${work}" && cd "${work}" && echo '{"private":true}' > package.json`,
    `if npm install --no-save --ignore-scripts --no-audit --no-fund renovate@${RENOVATE_VERSION}; then`,
    `  mv "${work}" "${DIR}" && rm -rf "${LOCK}"`,
    `else echo failed > "${LOCK}/failed"; rm -rf "${work}"; fi`,
  ].join('\n');
  const log = join(LOCK, 'log');
  writeFileSync(log, '');
  const child = spawn('sh', ['-c', `exec >>"${log}" 2>&1\n${script}`], { detached: true, stdio: 'ignore' });
  writeFileSync(join(LOCK, 'pid'), String(child.pid ?? 0));
  child.unref();
}

/** The Renovate executable: RENOVATE_BIN, else the background install once it completes. A failed
 * install throws with its log (so the test fails, never skips silently). */
export async function renovateBin(): Promise<string> {
  if (process.env.RENOVATE_BIN) return process.env.RENOVATE_BIN;
  startRenovateInstall();
  const tail = () => {
    try {
      return readFileSync(join(LOCK, 'log'), 'utf8').slice(-3000);
    } catch {
      return '(no install log)';
    }
  };
  await waitFor(
    `Renovate ${RENOVATE_VERSION} installed in ${DIR}`,
    () => {
      if (existsSync(BIN)) return true;
      const ended = existsSync(join(LOCK, 'failed')) || !alive(lockPid());
      // Read again: the install may have completed between the two looks.
      if (ended && !existsSync(BIN))
        throw new Error(`installing Renovate ${RENOVATE_VERSION} failed:\n${tail()}`);
      return false;
    },
    { timeoutMs: INSTALL_DEADLINE_MS, intervalMs: 2000, detail: tail },
  );
  return BIN;
}
