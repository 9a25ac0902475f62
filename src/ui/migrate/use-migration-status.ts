import { useEffect, useState } from 'react';

/** How often a page asks how a running migration stands (bounded: one small read per interval). */
export const MIGRATION_POLL_MS = 2000;

/**
 * The state of the migration into `target` while it runs, read from the repository's API answer
 * every MIGRATION_POLL_MS (null until the repository exists); polling stops when `target` is null.
 */
export function useMigrationStatus(target: { owner: string; name: string } | null): string | null {
  const [status, setStatus] = useState<string | null>(null);
  const owner = target?.owner;
  const name = target?.name;
  useEffect(() => {
    setStatus(null);
    if (!owner || !name) return;
    let stopped = false;
    const path = `/api/v1/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
    const probe = async () => {
      try {
        const res = await fetch(path);
        if (res.ok && !stopped) {
          const r = (await res.json()) as { migration_status?: string | null };
          setStatus(describeStatus(r.migration_status ?? null));
        }
      } catch {
        // A failed read is tried again at the next tick; the migration's own answer decides.
      }
    };
    const timer = setInterval(() => void probe(), MIGRATION_POLL_MS);
    void probe();
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [owner, name]);
  return status;
}

function describeStatus(s: string | null): string {
  if (s === 'running') return 'fetching from the source';
  if (s === 'failed') return 'failed';
  if (s === 'done') return 'finishing';
  return 'starting…';
}
