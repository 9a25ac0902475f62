/** Have processing shared by v0 and v2 negotiation: which haves are common, are we ready. */
import type { ObjectDatabase } from '../odb';
import type { Oid } from '../store';

export interface HaveResult {
  /** Haves we also have, in the order received. */
  readonly common: Oid[];
  /** Haves we do not know. */
  readonly unknown: number;
}

export async function sortHaves(odb: ObjectDatabase, haves: readonly Oid[]): Promise<HaveResult> {
  const common: Oid[] = [];
  let unknown = 0;
  for (const h of haves) {
    if (await odb.has(h)) common.push(h);
    else unknown++;
  }
  return { common, unknown };
}

/**
 * Whether we may stop negotiating. git checks that every want reaches a common commit; we
 * accept as soon as one have is common, which at worst sends some objects the client has.
 */
export function okToGiveUp(common: readonly Oid[]): boolean {
  return common.length > 0;
}
