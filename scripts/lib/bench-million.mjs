// The benchmark rows of a history too big for one push (`--only=million`; its own size `huge`, about
// 1,000,000 objects, with BENCH_SIZES=huge or --huge): the history pushed in parts along main's
// first-parent chain (each part under MAX_PUSH_OBJECTS and the plan's 100 MB body), then a full
// clone and a fetch of one new commit, on both servers, each checked. C git receives the same
// pushes (checking objects, as Gitflare does) and serves the clone from what it received (its
// packs as pushed, no repack, as Gitflare's layers). If the parts leave the cached pack without a
// usable last layer, the alarm's maintenance (the repair or the whole rebuild) runs and the clone
// is timed again.
import { readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { authUrl, createRepo } from './accounts.mjs';
import { repair } from './bench-rebuild.mjs';
import { commitOneEdit, localRefs, remoteRefs, sameRefs } from './git-run.mjs';

/** Rows for up to this many parts (a row each, so each part's time and peak are in the table). */
const MAX_PARTS = 10;
/** Objects per part: under MAX_PUSH_OBJECTS (450,000), and a push of this many into a store of ~900,000 is within the measured peaks. */
const PART_OBJECTS = 150_000;
/** Pack bytes per part aimed at: under the plan's 100 MB body with room for the estimate's error. */
const PART_BYTES = 60 * 1048576;
const BODY_CAP = 100 * 1000 * 1000;

export const MILLION_OPS = [
  ...Array.from({ length: MAX_PARTS }, (_, i) => [
    `million-push-${i + 1}`,
    `history in parts: push part ${i + 1} (C git checking objects)`,
  ]),
  ['million-clone', 'history in parts: full clone (--bare)'],
  ['million-clone-repaired', 'history in parts: full clone after the alarm repaired the cached pack'],
  ['million-fetch', 'history in parts: fetch one new commit'],
];

const load = () =>
  `load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`;
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

async function gitflareApi(gf, user, repo, what) {
  const res = await fetch(`${gf.url}/api/v1/repos/${user.username}/${repo}/git/${what}`, {
    headers: { Authorization: `token ${user.token}` },
  });
  if (!res.ok) throw new Error(`GET git/${what}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Objects reachable from `spec` (rev-list arguments) in `src`. */
async function countObjects(c, src, spec) {
  const out = await c.gitOk(['-C', src, 'rev-list', '--objects', '--count', ...spec], {
    timeoutMs: c.timeoutMs,
  });
  return Number(out.trim());
}

/**
 * The parts: commits of main's first-parent chain at even steps; the last part is every ref.
 * Returns [{refspecs, objects}] and the total of objects.
 */
async function planParts(c, src) {
  const total = await countObjects(c, src, ['--all']);
  const chain = (await c.gitOk(['-C', src, 'rev-list', '--first-parent', '--reverse', 'main']))
    .trim()
    .split('\n');
  const packBytes = readdirSync(join(src, 'objects', 'pack'))
    .filter((f) => f.endsWith('.pack'))
    .reduce((sum, f) => sum + statSync(join(src, 'objects', 'pack', f)).size, 0);
  const n = Math.max(2, Math.ceil(total / PART_OBJECTS), Math.ceil(packBytes / PART_BYTES));
  if (n > MAX_PARTS) throw new Error(`${n} parts needed, at most ${MAX_PARTS} rows`);
  const parts = [];
  let before = null;
  for (let i = 1; i <= n; i++) {
    const tip = i < n ? chain[Math.floor((chain.length * i) / n)] : null;
    const refspecs = tip
      ? [`${tip}:refs/heads/main`]
      : ['+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*'];
    const objects = await countObjects(c, src, [
      ...(tip ? [tip] : ['--all']),
      ...(before ? [`^${before}`] : []),
    ]);
    if (objects > 450_000) throw new Error(`part ${i} has ${objects} objects, past MAX_PUSH_OBJECTS`);
    parts.push({ refspecs, objects });
    before = tip;
  }
  return { parts, total };
}

/** The newest pack C git kept from a push: its size is about what the push sent. */
function newestPackBytes(dir) {
  const packs = readdirSync(join(dir, 'objects', 'pack'))
    .filter((f) => f.endsWith('.pack'))
    .map((f) => statSync(join(dir, 'objects', 'pack', f)))
    .sort((a, b) => b.mtimeMs - a.mtimeMs);
  return packs[0]?.size ?? 0;
}

/**
 * The rows for one size. `c` carries the benchmark's helpers and this size's setting (see
 * benchModuleRow in bench.mjs): size, src, servers [cgit, gitflare], user, cgitRoot, clients,
 * timeoutMs, runGit, gitOk, measure, interleaved, fail, log.
 */
export async function benchMillion(c) {
  const { size, src, servers, user, cgitRoot, clients, timeoutMs } = c;
  const [cgit, gf] = servers;
  const v2 = ['-c', 'protocol.version=2'];
  const want = await localRefs(src);
  const name = (run) => `million-${size}-${run}`;
  const url = (s, run) =>
    s === cgit ? `${cgit.url}/${name(run)}.git` : authUrl(gf.url, user, user.username, name(run));
  const broken = (s) => s.broken?.has(size);

  const { parts, total } = await planParts(c, src);
  c.log(
    `${size}: ${total.toLocaleString('en-US')} objects in ${parts.length} parts of ${parts
      .map((p) => p.objects.toLocaleString('en-US'))
      .join(', ')} objects; ${load()}`,
  );

  // A server whose part failed takes no more parts (its history would have a hole).
  const stopped = new Set();
  for (const [i, part] of parts.entries()) {
    const op = `million-push-${i + 1}`;
    await c.interleaved(op, size, servers, async (s, run) => {
      if (stopped.has(s.name)) return;
      stopped.add(s.name);
      if (i === 0) {
        if (s === cgit) {
          const dir = join(cgitRoot, `${name(run)}.git`);
          await c.gitOk(['init', '-q', '--bare', '-b', 'main', dir]);
          await c.gitOk(['-C', dir, 'config', 'receive.fsckObjects', 'true']);
        } else await createRepo(gf.url, user, name(run));
      }
      const r = await c.measure(op, size, s, () =>
        c.runGit([...v2, '-C', src, 'push', '-q', url(s, run), ...part.refspecs], { timeoutMs }),
      );
      let note = '';
      if (s === cgit) {
        const bytes = newestPackBytes(join(cgitRoot, `${name(run)}.git`));
        note = `, ${(bytes / 1048576).toFixed(1)} MiB of pack as C git kept it`;
        if (bytes > BODY_CAP) note += ' (PAST the 100 MB body cap)';
      }
      c.log(`${size}: part ${i + 1} to ${s.name}: ${secs(r.ms)}${note}; ${load()}`);
      stopped.delete(s.name);
    });
  }
  for (const s of servers) {
    if (broken(s) || stopped.has(s.name)) {
      if (stopped.has(s.name)) c.fail('million-clone', size, s.name, 'a part of the push failed');
      continue;
    }
    try {
      sameRefs(
        remoteRefs(await c.gitOk(['ls-remote', url(s, 0)], { timeoutMs })),
        want,
        `parts to ${s.name}`,
      );
    } catch (err) {
      c.fail('million-clone', size, s.name, err);
    }
  }

  // Full clones; the last of each server is the base of the fetch.
  const base = {};
  const clone = (op) =>
    c.interleaved(op, size, servers, async (s, run) => {
      const dir = join(clients, `${op}-${s.name}-${run}`);
      const r = await c.measure(op, size, s, () =>
        c.runGit([...v2, 'clone', '-q', '--bare', url(s, 0), dir], { timeoutMs }),
      );
      sameRefs(await localRefs(dir), want, `clone from ${s.name}`);
      const got = await countObjects(c, dir, ['--all']);
      if (got !== total) throw new Error(`clone from ${s.name}: ${got} objects, the source has ${total}`);
      c.log(`${size}: ${op} from ${s.name}: ${secs(r.ms)}, ${got} objects; ${load()}`);
      if (base[s.name]) rmSync(base[s.name], { recursive: true, force: true });
      base[s.name] = dir;
    });
  c.log(`${size}: full clone`);
  await clone('million-clone');

  if (gf && !broken(gf)) {
    try {
      const layers = (await gitflareApi(gf, user, name(0), 'stats')).cached_pack;
      c.log(`${size}: cached pack after the parts: ${JSON.stringify(layers)}`);
      if (layers.at(-1)?.objects !== total) {
        const r = await repair(gf, user, name(0), total);
        c.log(
          `${size}: the repair took ${r.runs} maintenance run(s), ${secs(r.ms)}, peak RSS ` +
            `${(r.mem.peakTotalKiB / 1024).toFixed(0)} MiB (workerd ${((r.mem.peakByName.workerd ?? 0) / 1024).toFixed(0)} MiB); ` +
            `cached pack ${JSON.stringify(r.layers)}; ${load()}`,
        );
        await clone('million-clone-repaired');
      }
    } catch (err) {
      c.fail('million-clone-repaired', size, gf.name, err);
    }
  }

  // Fetch: one new commit on main, pushed to both (not timed), fetched by each server's clone.
  c.log(`${size}: fetch one new commit`);
  const writer = join(clients, 'million-writer.git');
  await c.gitOk(['clone', '-q', '--bare', '--shared', src, writer]);
  const path = (await c.gitOk(['-C', writer, 'ls-tree', '-r', '--name-only', 'main']))
    .split('\n')
    .find((p) => p.startsWith('src/'));
  const commit = await commitOneEdit(writer, clients, path, 0);
  const expected = want.map((l) => (l.endsWith(' refs/heads/main') ? `${commit} refs/heads/main` : l)).sort();
  for (const s of servers) {
    if (broken(s) || !base[s.name]) continue;
    try {
      await c.gitOk([...v2, '-C', writer, 'push', '-q', url(s, 0), 'main:main'], { timeoutMs });
      const r = await c.measure('million-fetch', size, s, () =>
        c.runGit(
          [
            ...v2,
            '-C',
            base[s.name],
            'fetch',
            '-q',
            url(s, 0),
            '+refs/heads/*:refs/heads/*',
            '+refs/tags/*:refs/tags/*',
          ],
          { timeoutMs },
        ),
      );
      sameRefs(await localRefs(base[s.name]), expected, `fetch from ${s.name}`);
      await c.gitOk(['-C', base[s.name], 'cat-file', '-e', `${commit}^{tree}`]);
      c.log(`${size}: fetch from ${s.name}: ${secs(r.ms)}; ${load()}`);
    } catch (err) {
      c.fail('million-fetch', size, s.name, err);
    }
  }
  for (let run = 0; run < 50; run++)
    rmSync(join(cgitRoot, `${name(run)}.git`), { recursive: true, force: true });
}
