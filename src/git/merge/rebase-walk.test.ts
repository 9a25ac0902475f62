/**
 * A rebase merge of a short branch on a long history reads the commits above the fork, not the
 * base's history (it listed every commit of the base before, and refused past 100,000).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DagHistory, importDag, linearDag } from '../../../test/helpers/dag-history';
import { git, removeDir } from '../../../test/helpers/git';
import { NotingGraph, notingReads } from '../../../test/helpers/odb-reads';
import { skewedOdb } from '../../../test/helpers/skewed-history';
import { parseCommit } from '../object/commit';
import { ObjectDatabase } from '../odb';
import { hashObject } from '../sha1';
import type { Oid } from '../store';
import { fillGenerations } from '../walk/generation';
import { mergeBranches } from './merge';

const MAIN = 2_000;
const who = { name: 'R', email: 'r@example.com', timestamp: 1_700_000_000, timezone: '+0000' };

describe('rebase on a long history', () => {
  let h: DagHistory;
  let main: Oid;
  let topic: Oid;
  let fork: Oid;

  beforeAll(() => {
    // Main's commit i writes file f{i % 5}; the topic forks at main~2 and its three commits write
    // the three files main's last two commits leave alone, so the rebase replays all three cleanly.
    const commits = linearDag(MAIN);
    const forkAt = MAIN - 3;
    const last = commits[MAIN - 1].time;
    for (let i = 0; i < 3; i++)
      commits.push({ parents: [i === 0 ? forkAt : MAIN + i - 1], time: last + 60 * (i + 1) });
    h = importDag(commits);
    main = h.oids[MAIN - 1];
    topic = h.oids[MAIN + 2];
    fork = h.oids[forkAt];
  });
  afterAll(() => removeDir(h.dir));

  it("replays the topic's three commits on main's tip, reading the commits above the fork only", async () => {
    expect(git(h.dir, ['rev-list', '--count', `${main}..${topic}`]).trim()).toBe('3');
    // Without a commit graph (every commit read is parsed; walks go by date), and with one whose
    // generations are filled (walks go by generation).
    for (const withGraph of [false, true]) {
      const loaded = await skewedOdb(h.dir);
      const noting = new NotingGraph(loaded.graph);
      const store = loaded.odb.store;
      const base = withGraph ? new ObjectDatabase(store, { commitGraph: noting }) : new ObjectDatabase(store);
      if (withGraph) expect((await fillGenerations(base, h.oids)).complete).toBe(true);
      noting.asked.clear();
      const { odb, read } = notingReads(base);
      const outcome = await mergeBranches(odb, {
        style: 'rebase',
        base: main,
        head: topic,
        message: '',
        author: who,
        committer: who,
      });
      expect(outcome.kind).toBe('merged');
      if (outcome.kind !== 'merged') return;
      // Three new commits on main's tip, each with the message of the one it replays.
      const byOid = new Map(outcome.objects.map((o) => [hashObject(o.type, o.data), o]));
      let at = outcome.commit;
      const messages: string[] = [];
      while (at !== main) {
        const c = parseCommit((byOid.get(at) as { data: Uint8Array }).data);
        messages.unshift(new TextDecoder().decode(c.message ?? new Uint8Array()));
        expect(c.parents.length).toBe(1);
        at = c.parents[0];
      }
      expect(messages).toEqual([`c${MAIN}\n`, `c${MAIN + 1}\n`, `c${MAIN + 2}\n`]);
      // Commits looked at: the topic's 3, main's last 2, the fork and a few below it (by date, the
      // walk's allowance for clock skew, git's SLOP): 10 parsed, 7 from the graph; 2,003 when
      // the base's history was listed first.
      const commitsTouched = new Set([...read, ...noting.asked].filter((o) => h.oids.includes(o)));
      expect(commitsTouched.has(fork)).toBe(true);
      expect(commitsTouched.size).toBeLessThan(40);
    }
  });
});
