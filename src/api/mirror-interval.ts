// Mirror intervals as Gitea reads them: Go durations such as "8h0m0s", "10m", "1h30m" (written
// back by services/mirror-interval.ts).

/** Gitea's default interval, and its shortest (anything shorter but 0, which means never, is refused). */
export const DEFAULT_MIRROR_INTERVAL_SECONDS = 8 * 3600;
export const MIN_MIRROR_INTERVAL_SECONDS = 10 * 60;

const UNIT_SECONDS: Record<string, number> = { h: 3600, m: 60, s: 1 };

/** Seconds of a Go duration of hours, minutes and seconds; null when it is not one. */
export function parseMirrorInterval(text: string): number | null {
  const t = text.trim();
  if (t === '0') return 0;
  if (!/^(\d+(\.\d+)?[hms])+$/.test(t)) return null;
  let seconds = 0;
  for (const [, n, unit] of t.matchAll(/(\d+(?:\.\d+)?)([hms])/g)) seconds += Number(n) * UNIT_SECONDS[unit];
  return Math.round(seconds);
}
