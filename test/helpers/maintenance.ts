// A repository's storage statistics and on-demand maintenance (the alarm's compaction and repair
// of the cached pack), through the admin API: tests trigger maintenance rather than wait for it.
import { request } from 'node:http';
import type { GitUser } from './accounts';

export interface GitStats {
  live_packs: number;
  retired_packs: number;
  objects: number;
  pack_bytes: number;
  /** The cached pack's layers, oldest first. */
  cached_pack: { packs: number; objects: number }[];
  /** Merge checks of pull requests kept by commit pair, and checks computed in all. */
  merge_checks: { cached: number; computed: number };
  /** Heavy work admitted and waiting now (pushes, walks, clones, maintenance). */
  admission: {
    reserved_mib: number;
    running: Partial<Record<'push' | 'walk' | 'clone' | 'maintain', number>>;
    waiting: number;
    waited: number;
  };
  /** The cached pack's packs copied to R2, copies waiting for deletion, clones the Worker streamed. */
  pack_copies: { copied: number; retiring: number; served: number };
  /** Chunks of ids pushes spilled to SQLite since the object started, and those still stored. */
  spill: { written: number; held: number };
}

/**
 * One request on a connection of its own: tests run git synchronously between requests, blocking
 * this process for seconds, and a kept-alive connection the server closed meanwhile would fail
 * the next request on it.
 */
function repoApi(
  method: string,
  base: string,
  user: GitUser,
  repo: string,
  what: string,
): Promise<{ status: number; text: string }> {
  const url = new URL(`${base}/api/v1/repos/${user.username}/${repo}/git/${what}`);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method, agent: false, headers: { Authorization: `token ${user.token}` } },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

export async function gitStats(base: string, user: GitUser, repo: string): Promise<GitStats> {
  const res = await repoApi('GET', base, user, repo, 'stats');
  if (res.status !== 200) throw new Error(`git/stats: ${res.status} ${res.text}`);
  return JSON.parse(res.text) as GitStats;
}

/** Runs the repository's maintenance now; the HTTP status (200 ran, 409 deferred behind a push). */
export async function runMaintenance(base: string, user: GitUser, repo: string): Promise<number> {
  return (await repoApi('POST', base, user, repo, 'maintenance')).status;
}
