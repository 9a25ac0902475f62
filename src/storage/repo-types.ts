/** What the repository object's RPC methods take and answer (see repo-object.ts). */
import type { FetchPackProgress } from '../git/fetch/fetch';
import type { AdmissionState } from './admission';
import type { AlarmKind } from './alarms';
import type { CompactionResult } from './compaction';

/** Pack and object counts, for tests and operators. */
export interface RepoStats {
  readonly livePacks: number;
  readonly retiredPacks: number;
  readonly objects: number;
  readonly bytes: number;
  /** The cached pack's layers: packs and objects of each (whole clones stream them). */
  readonly cachedPack: { packs: number; objects: number }[];
  /** Merge checks kept by commit pair, and checks computed in all. */
  readonly mergeChecks: { cached: number; computed: number };
  /** Heavy work running and waiting now (see admission.ts). */
  readonly admission: AdmissionState;
  /** The stored packs copied to R2 for clones the Worker streams (see pack-copies.ts). */
  readonly packCopies: { copied: number; retiring: number; served: number };
  /** When each kind of background work is due next (ms since the epoch). */
  readonly alarms: Partial<Record<AlarmKind, number>>;
  /** Steps of a migration's import the alarm has run. */
  readonly importSteps: number;
  /** Chunks of ids pushes spilled since the object started, and those still stored (see spill-store.ts). */
  readonly spill: { written: number; held: number };
}

export type BranchDeletion =
  | { readonly kind: 'deleted' }
  | { readonly kind: 'missing' }
  | { readonly kind: 'declined'; readonly reason: string };

/** A migration's fetch or a mirror's sync; `busy` when the repository had no room for it in time. */
export type SourceFetchOutcome = { ok: true } | { ok: false; message: string; busy?: true };

export type MaintenanceResult = CompactionResult | { kind: 'deferred' };

/** Who pushed and the public origin, so that the ref updates can be announced to webhooks. */
export interface PushNotice {
  readonly pusherId: number;
  readonly origin: string;
}

/** A ref a push moved (ids of 40 zeros for a created or deleted ref). */
export interface RefUpdate {
  readonly name: string;
  readonly oldOid: string;
  readonly newOid: string;
}

export interface RepoSummary {
  /** The branch HEAD names (it may not exist yet). */
  readonly defaultBranch: string;
  /** No ref exists yet. */
  readonly empty: boolean;
  /** A fetch from the source (migration, mirror sync) receiving its pack: how far it has come. */
  readonly fetch?: FetchPackProgress | null;
}
