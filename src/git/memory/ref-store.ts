/**
 * RefStore in memory, for tests and the Node test server: the rows of refs/plan.ts's plan in a
 * map, with pack publishing tied to the update as store.ts asks.
 */
import { planRefUpdates, planResults, type RefView } from '../refs/plan';
import type { Oid, Ref, RefCommand, RefCommandResult, RefStore, RefUpdateOptions } from '../store';
import { ZERO_OID } from '../store';

/** How the ref store makes a pending pack visible or drops it. */
export interface PackPublisher {
  publish(packId: number): Promise<void> | void;
  discard(packId: number): Promise<void> | void;
}

interface StoredRef {
  readonly oid: Oid;
  readonly peeled?: Oid;
  readonly notTag?: boolean;
}

export class MemoryRefStore implements RefStore {
  private readonly refs = new Map<string, StoredRef>();
  private head: string;
  private readonly packs: PackPublisher | null;

  constructor(options: { head?: string; packs?: PackPublisher } = {}) {
    this.head = options.head ?? 'refs/heads/main';
    this.packs = options.packs ?? null;
  }

  async list(prefixes?: readonly string[]): Promise<Ref[]> {
    const names = [...this.refs.keys()]
      .filter((n) => !prefixes || prefixes.length === 0 || prefixes.some((p) => n.startsWith(p)))
      .sort(compareBytes);
    return names.map((name) => ({ name, ...(this.refs.get(name) as StoredRef) }));
  }

  async headTarget(): Promise<string> {
    return this.head;
  }

  /** Point HEAD at another ref (what `git symbolic-ref HEAD` does). */
  setHeadTarget(target: string): void {
    this.head = target;
  }

  async update(commands: readonly RefCommand[], options: RefUpdateOptions): Promise<RefCommandResult[]> {
    const plan = planRefUpdates(this.view(), commands, {
      atomic: options.atomic,
      head: this.head,
      check: options.check,
    });
    for (const c of plan.updates) {
      if (c.newOid === ZERO_OID) this.refs.delete(c.name);
      else this.refs.set(c.name, storedRef(c.newOid, c));
    }
    if (plan.head !== null) this.head = plan.head;
    if (options.publishPackId !== undefined && this.packs) {
      if (plan.updates.length > 0) await this.packs.publish(options.publishPackId);
      else await this.packs.discard(options.publishPackId);
    }
    return planResults(commands, plan);
  }

  async rememberPeeled(found: readonly Ref[]): Promise<void> {
    for (const f of found) {
      if (this.refs.get(f.name)?.oid === f.oid) this.refs.set(f.name, storedRef(f.oid, f));
    }
  }

  private view(): RefView {
    const refs = this.refs;
    return {
      get: (name) => refs.get(name)?.oid ?? null,
      below: (name) => [...refs.keys()].filter((n) => n.startsWith(`${name}/`)),
      isEmpty: () => refs.size === 0,
    };
  }
}

function storedRef(oid: Oid, known: { readonly peeled?: Oid; readonly notTag?: boolean }): StoredRef {
  if (known.peeled) return { oid, peeled: known.peeled };
  return known.notTag ? { oid, notTag: true } : { oid };
}

/** Byte order (what git uses), which for UTF-16 strings matches code unit order on ASCII. */
function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
