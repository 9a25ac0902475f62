/**
 * `git rev-list --objects wants --not haves`: the objects a fetch must send (or a push must
 * prove present), with shallow and partial-clone hooks. Memory is sets of oids.
 */
import { IdList } from '../id-list';
import type { Oid } from '../store';
import { walkCommits } from './commits';
import { planDeepen } from './deepen';
import { filterKeepsCommits, type ObjectFilter } from './filter';
import { TreeWalker } from './objects';
import { peel, type WalkOdb } from './read';
import type { RevListDeepen } from './shallow-rev-list';

export interface ReachableOptions {
  /** `deepen N`: send at most N commits of history from each want. */
  readonly depth?: number;
  /** Count `depth` from the client's shallow boundaries instead of the wants (deepen-relative). */
  readonly deepenRelative?: boolean;
  /** `deepen-since` / `deepen-not`: a history bounded by date or refs instead of a count. */
  readonly deepenBy?: RevListDeepen;
  /** Commits the client has as shallow boundaries (its `shallow` lines). */
  readonly clientShallow?: readonly Oid[];
  readonly filter?: ObjectFilter | null;
  /** Check every object exists, blobs included (for a push's connectivity check). */
  readonly verify?: boolean;
}

export interface Reachable {
  /** Commits to send, newest first (20 bytes an id, as `objects`). */
  readonly commits: IdList;
  /** Tags, then trees and blobs, in walk order (20 bytes an id: a clone lists every tree and blob). */
  readonly objects: IdList;
  /** New shallow boundary commits (only with `depth`). */
  readonly shallow: Oid[];
  /** Client boundaries lifted by a deeper fetch. */
  readonly unshallow: Oid[];
  /** Whether the client is known to have an object (edge commits and their trees): thin-pack bases. */
  clientHas(oid: Oid): boolean;
}

/**
 * What a fetch keeps of its walk while the pack is written: not the lists, which the writer has
 * copied (a clone's lists name every object; held beside the writer's table they add to its peak).
 */
export type WalkAnswer = Pick<Reachable, 'shallow' | 'unshallow' | 'clientHas'>;

/** The part of a walk that outlives its lists (see WalkAnswer). */
export function walkAnswer(r: Reachable): WalkAnswer {
  return { shallow: r.shallow, unshallow: r.unshallow, clientHas: r.clientHas };
}

export async function reachableObjects(
  wants: readonly Oid[],
  haves: readonly Oid[],
  odb: WalkOdb,
  options: ReachableOptions = {},
): Promise<Reachable> {
  const tags: Oid[] = [];
  const wantCommits: Oid[] = [];
  const walker = new TreeWalker(odb, { filter: options.filter, verify: options.verify });
  const directTrees: Oid[] = [];
  const directBlobs: Oid[] = [];
  const haveSet = new Set(haves);
  // Depth counts from every want, even one the client already has.
  const depthStarts: Oid[] = [];
  for (const w of new Set(wants)) {
    const p = await peel(odb, w);
    if (p.type === 'commit') depthStarts.push(p.oid);
    if (haveSet.has(w)) continue;
    for (const t of p.tags) if (!tags.includes(t)) tags.push(t);
    if (p.type === 'commit') wantCommits.push(p.oid);
    else if (p.type === 'tree') directTrees.push(p.oid);
    else if (p.type === 'blob') directBlobs.push(p.oid);
  }
  const haveCommits: Oid[] = [];
  for (const h of haveSet) {
    if (!(await odb.has(h))) continue;
    const p = await peel(odb, h);
    if (p.type === 'commit') haveCommits.push(p.oid);
  }

  const clientShallow = new Set(options.clientShallow ?? []);
  let grafts = new Set<Oid>(clientShallow);
  let shallow: Oid[] = [];
  let unshallow: Oid[] = [];
  let starts = wantCommits;
  const plan = await planDeepen(odb, depthStarts, options);
  if (plan) {
    grafts = plan.grafts;
    shallow = plan.shallow;
    unshallow = plan.unshallow;
    starts = [...wantCommits, ...plan.extraWants];
  }

  // A shallow client's haves all count as edges, as git does for it: its boundary commits' parents
  // are absent, so the sent commits' parents alone may miss what it has.
  const walk = await walkCommits(odb, starts, haveCommits, { grafts, aggressiveEdges: grafts.size > 0 });
  for (const tree of walk.edgeTrees.values()) walker.markHave(tree);
  await walker.addTrees(walk.sentTrees);
  for (const t of directTrees) await walker.addTree(t, true);
  for (const b of directBlobs) await walker.addBlob(b, 0, true);

  const commitsSent = filterKeepsCommits(options.filter ?? null)
    ? walk.sent
    : onlyNamed(walk.sent, new Set(wantCommits));
  // What the client has is kept apart, so that the walker's map of everything seen (an entry per
  // object of the repository, for a clone) is garbage once this returns.
  const clientObjects = walker.clientObjects();
  for (const e of walk.edges) clientObjects.add(e);
  const objects = new IdList();
  for (const t of tags) objects.push(t);
  walker.takeObjects(objects);
  return {
    commits: commitsSent,
    objects,
    shallow,
    unshallow,
    clientHas: (oid) => clientObjects.has(oid),
  };
}

/**
 * The commits of `sent` that the wants name, themselves or through a tag: object:type=<not commit>
 * still sends those, as git does (a clone's refs point at them).
 */
function onlyNamed(sent: IdList, named: ReadonlySet<Oid>): IdList {
  const out = new IdList();
  for (let i = 0; i < sent.length && out.length < named.size; i++) {
    const oid = sent.at(i);
    if (named.has(oid)) out.push(oid);
  }
  return out;
}
