// Watches the shared end-to-end servers while the suite runs: a light request every few seconds,
// and a record of every answer that came slowly or not at all, with the machine's load, free
// memory and free disk at that moment. Diagnosis only (nothing is asserted): a CI run once had two
// test files' requests to a server go unanswered for 300 s, and its log could not tell a server
// that hung from a machine that stalled. The global teardown prints the record and, when there is
// one, the tail of that server's log.
import { statfsSync } from 'node:fs';
import { freemem, loadavg, tmpdir } from 'node:os';
import type { RunningServer } from './server-process';

/** Between probes. */
const EVERY_MS = 5_000;
/** An answer slower than this is recorded. */
const SLOW_MS = 10_000;
/** A probe unanswered this long is recorded as such and abandoned. */
const GIVE_UP_MS = 600_000;

const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;

function machine(): string {
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  let disk = '?';
  try {
    const s = statfsSync(tmpdir());
    disk = mib(s.bavail * s.bsize);
  } catch {
    // not known on this system
  }
  return `load ${load}, free memory ${mib(freemem())}, free disk ${disk}`;
}

export interface ServerWatch {
  /** Stops probing; the record of slow or failed probes, empty when there was none. */
  stop(): Promise<string[]>;
}

export function watchServer(server: RunningServer, name: string): ServerWatch {
  const record: string[] = [];
  const started = Date.now();
  let stopped = false;
  let wake: () => void = () => undefined;
  /** When the probe in flight was sent (0: none in flight). */
  let inFlight = 0;
  const since = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
  const loop = (async () => {
    while (!stopped) {
      const t0 = Date.now();
      inFlight = t0;
      let outcome: string | null = null;
      try {
        const res = await fetch(`${server.url}/api/v1/version`, {
          headers: { connection: 'close' },
          signal: AbortSignal.timeout(GIVE_UP_MS),
        });
        await res.arrayBuffer();
        if (!res.ok) outcome = `answered ${res.status}`;
      } catch (e) {
        outcome = `failed (${e instanceof Error ? e.message : String(e)})`;
      }
      inFlight = 0;
      const ms = Date.now() - t0;
      if (outcome || ms > SLOW_MS) {
        record.push(
          `${name} at ${since()}: GET /api/v1/version ${outcome ?? 'answered'} after ${(ms / 1000).toFixed(1)} s; ${machine()}`,
        );
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, EVERY_MS).unref();
      });
    }
  })();
  return {
    async stop() {
      stopped = true;
      wake();
      const pending = inFlight ? Date.now() - inFlight : 0;
      if (pending > SLOW_MS) {
        record.push(
          `${name} at ${since()}: GET /api/v1/version still unanswered after ${(pending / 1000).toFixed(1)} s; ${machine()}`,
        );
      }
      // A probe in flight is not waited for: the server is about to be stopped.
      await Promise.race([loop, new Promise((r) => setTimeout(r, 1_000).unref())]);
      return record;
    },
  };
}
