/**
 * The storage contract of the git engine. The engine reads and writes packs and refs only through
 * these interfaces; the repository Durable Object implements them on SQLite and
 * `src/git/memory/` implements them in memory for tests.
 *
 * Objects live in packs, stored as received. An index entry per object says where it sits
 * (pack, offset) and, for a delta, which object it is based on, so that readers can resolve
 * deltas and writers can copy stored bytes into outgoing packs without recompressing.
 */
import type { PlannedUpdate } from './refs/plan';
import type { RefRejectionCode, RuleRejection } from './refs/rejection';

/** A SHA-1 object id: 40 lowercase hex digits. */
export type Oid = string;

export type ObjectType = 'commit' | 'tree' | 'blob' | 'tag';

export interface GitObject {
  readonly type: ObjectType;
  readonly data: Uint8Array;
}

/** Where and how one object is stored in a pack (one entry of the object index). */
export interface PackEntry {
  readonly oid: Oid;
  readonly packId: number;
  /** Offset of the entry's header in its pack. */
  readonly offset: number;
  /** Offset of the zlib stream (after the type/size header and any delta base reference). */
  readonly dataOffset: number;
  /** One past the last byte of the zlib stream. */
  readonly end: number;
  /** The object's own type and inflated size (after any delta is applied). */
  readonly type: ObjectType;
  readonly size: number;
  /** Set when the entry is stored as a delta (ofs-delta or ref-delta) against this object. */
  readonly baseOid: Oid | null;
  /** Length of the delta chain below this entry (0 for a whole object). */
  readonly depth: number;
  /** CRC-32 of the entry's raw bytes [offset, end), as in a .idx v2. */
  readonly crc32: number;
}

/** What reading or copying a stored entry needs of its index row (not its depth or CRC). */
export type StoredEntryRef = Omit<PackEntry, 'depth' | 'crc32'>;

/** Read side of the object database: packs as bytes plus the object index. */
export interface PackStore {
  /** The index entry of a visible (published) object, or null. */
  lookup(oid: Oid): Promise<PackEntry | null>;
  /** Whether no object is visible yet (a repository's first push has nothing to compare with). */
  isEmpty(): Promise<boolean>;
  /** Index entries of many objects at once; missing objects are absent from the map. */
  lookupMany(oids: readonly Oid[]): Promise<Map<Oid, PackEntry>>;
  /** `length` bytes of pack `packId` from `offset`. */
  readPack(packId: number, offset: number, length: number): Promise<Uint8Array>;
  /**
   * Like `readPack`, for reads that go through a pack once, in order (writing or streaming a
   * pack): a store need not cache more than the part at hand.
   */
  readPackInOrder?(packId: number, offset: number, length: number): Promise<Uint8Array>;
  /** Let go of what reads cached (they refill as needed). */
  dropCaches?(): void;
}

/**
 * A pack being received. Its bytes and index entries are written as they arrive but stay
 * invisible to `PackStore.lookup` (quarantine) until the ref update that publishes it commits.
 */
export interface PackWriter {
  readonly packId: number;
  /** Append the next raw bytes of the pack, in order. */
  append(chunk: Uint8Array): Promise<void>;
  /** Bytes already appended (used to resolve deltas against earlier entries of the same pack). */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Record index entries for objects of this pack. */
  addEntries(entries: readonly PackEntry[]): Promise<void>;
  /**
   * Complete the index once every entry is in, handing the thread over as it goes: lookups and
   * publishing are then quick (optional: without it the first lookup completes it).
   */
  seal?(): Promise<void>;
  /** An index entry of this pending pack, or null. */
  lookupPending(oid: Oid): Promise<PackEntry | null>;
  /** Drop the pack and its rows (failed or rejected push). */
  abort(): Promise<void>;
}

/** One stored pack of a cached pack. */
export interface CachedPackPart {
  readonly packId: number;
  /** Bytes of the whole pack file, header and trailer included. */
  readonly size: number;
  readonly objectCount: number;
}

/**
 * Stored packs holding, together, exactly the objects reachable from `tips`, each object once and
 * every delta base among them (JGit's "cached packs"). A clone that wants exactly those tips is
 * those packs' entries one after another: no walk, no object lookups, no re-encoding (a single
 * pack is its stored file, byte for byte). Ofs-deltas stay inside their own pack, whose entries
 * travel together; ref-deltas name their base by id, which the client finds anywhere in the pack.
 */
export interface CachedPack {
  readonly packs: readonly CachedPackPart[];
  readonly tips: readonly Oid[];
  /** Objects of all the packs. */
  readonly objectCount: number;
}

/**
 * Where the cached pack is kept, as layers: each layer is the one before plus one more pack (a
 * push that brought exactly what its new tips add), so a repository that grows push by push keeps
 * a cached pack of its whole history. Layers are cumulative: every tip of a layer is reachable
 * from the tips of the next, so a clone uses the last layer whose tips it wants (or reaches).
 */
export interface CachedPackStore {
  /** The layers, shortest first; empty when there is none. A layer with a pack no longer live lapses, with those after it. */
  get(): Promise<readonly CachedPack[]>;
  /**
   * Record a layer: the packs `base` (the current last layer's, or none to start over) plus
   * published pack `packId` hold exactly the objects reachable from `tips`. Ignored when `base`
   * is no longer the last layer's packs (a concurrent push or compaction changed them).
   */
  extend(base: readonly number[], packId: number, tips: readonly Oid[]): Promise<void>;
  /** Which of `oids` the packs `packIds` hold. */
  contains(packIds: readonly number[], oids: readonly Oid[]): Promise<Set<Oid>>;
}

/** What a walk needs of a commit: its tree, parents and committer time. */
export interface CommitLinks {
  readonly tree: Oid;
  readonly parents: readonly Oid[];
  /** Committer time in seconds (0 when unreadable). */
  readonly time: number;
  /**
   * Topological level (git's commit-graph generation v1): 1 for a root commit, else one more than
   * its parents' highest. Known only once known for every ancestor (absent: not known yet); a
   * commit reaches another only if its generation is higher, whatever the clocks said.
   */
  readonly generation?: number;
}

/**
 * Commit links kept apart from the packs (git's commit-graph file), so that history walks and
 * negotiation read a row instead of inflating and parsing each commit. A commit's links follow
 * from its content, so an entry never goes stale; it is filled as commits are read from the
 * published objects.
 */
export interface CommitGraph {
  /** The links of `oid` if known. */
  get(oid: Oid): Promise<CommitLinks | null>;
  /**
   * Remember the links of a commit read from the store; a known row takes the generation if it had
   * none (the links themselves never change).
   */
  add(oid: Oid, links: CommitLinks): Promise<void>;
}

export interface Ref {
  readonly name: string;
  readonly oid: Oid;
  /** For an annotated tag: the object the tag chain finally points to. */
  readonly peeled?: Oid;
  /**
   * Known not to name a tag object (nothing to peel). Without `peeled` or this, a store does not
   * know: listings look the object up (see protocol/refs.ts) and tell the store (`rememberPeeled`).
   */
  readonly notTag?: boolean;
}

/** One ref change of a push. The all-zero oid as `oldOid` means "must not exist", as `newOid` delete. */
export interface RefCommand {
  readonly name: string;
  readonly oldOid: Oid;
  readonly newOid: Oid;
  /** Filled by the engine for annotated tags so that advertisements need no object reads. */
  readonly peeled?: Oid;
  /** Filled by the engine for any other object: no tag to peel (see Ref.notTag). */
  readonly notTag?: boolean;
}

export type RefCommandResult =
  | { readonly name: string; readonly ok: true }
  | {
      readonly name: string;
      readonly ok: false;
      /** What the report-status says after `ng <name>`. */
      readonly reason: string;
      /** Set when a ref rule refused the command (see refs/plan.ts), not the push's objects. */
      readonly code?: RefRejectionCode;
    };

export interface RefStore {
  /** All refs under refs/, sorted by name (HEAD is not included). */
  list(prefixes?: readonly string[]): Promise<Ref[]>;
  /** The ref HEAD points to (e.g. refs/heads/main), whether or not it exists yet. */
  headTarget(): Promise<string>;
  /**
   * Apply ref commands, each a compare-and-swap of the old value, in one storage transaction.
   * With `atomic`, all commands apply or none does. When `publishPackId` is given and at least
   * one command applies, that pending pack becomes visible in the same transaction; otherwise
   * it is dropped. The rules (compare-and-swap, name conflicts, HEAD) are `planRefUpdates`'s,
   * and `check`'s (the repository's rules, e.g. branch protection) inside the same transaction.
   */
  update(commands: readonly RefCommand[], options: RefUpdateOptions): Promise<RefCommandResult[]>;
  /**
   * Remember what listing found out about refs stored without it (`peeled` or `notTag`), for each
   * ref still at the `oid` it was found at, so the next listing need not look them up again.
   */
  rememberPeeled?(found: readonly Ref[]): Promise<void>;
}

export interface RefUpdateOptions {
  readonly atomic: boolean;
  readonly publishPackId?: number;
  readonly check?: (update: PlannedUpdate) => RuleRejection | undefined;
}

export const ZERO_OID: Oid = '0000000000000000000000000000000000000000';
