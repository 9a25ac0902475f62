/**
 * RefStore in memory, for tests and the Node test server. Follows the contract in store.ts:
 * compare-and-swap per command, `atomic` all-or-nothing, pack publishing tied to the update,
 * and the HEAD rule for the first push into an empty repository.
 */
import type { Oid, Ref, RefCommand, RefCommandResult, RefStore } from '../store';
import { ZERO_OID } from '../store';

/** How the ref store makes a pending pack visible or drops it. */
export interface PackPublisher {
  publish(packId: number): Promise<void> | void;
  discard(packId: number): Promise<void> | void;
}

interface StoredRef {
  readonly oid: Oid;
  readonly peeled?: Oid;
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
    return names.map((name) => {
      const r = this.refs.get(name) as StoredRef;
      return r.peeled ? { name, oid: r.oid, peeled: r.peeled } : { name, oid: r.oid };
    });
  }

  async headTarget(): Promise<string> {
    return this.head;
  }

  /** Point HEAD at another ref (what `git symbolic-ref HEAD` does). */
  setHeadTarget(target: string): void {
    this.head = target;
  }

  async update(
    commands: readonly RefCommand[],
    options: { readonly atomic: boolean; readonly publishPackId?: number },
  ): Promise<RefCommandResult[]> {
    const wasEmpty = this.refs.size === 0;
    const seen = new Set<string>();
    const verdicts = commands.map((c) => {
      if (seen.has(c.name)) return 'duplicate ref update';
      seen.add(c.name);
      return this.check(c);
    });
    const anyFailed = verdicts.some((v) => v !== null);
    const results: RefCommandResult[] = commands.map((c, i) => {
      const reason = verdicts[i];
      if (reason !== null) return { name: c.name, ok: false, reason };
      if (options.atomic && anyFailed) return { name: c.name, ok: false, reason: 'atomic push failure' };
      return { name: c.name, ok: true };
    });
    const applied = commands.filter((_, i) => results[i].ok);
    for (const c of applied) {
      if (c.newOid === ZERO_OID) this.refs.delete(c.name);
      else this.refs.set(c.name, c.peeled ? { oid: c.newOid, peeled: c.peeled } : { oid: c.newOid });
    }
    if (options.publishPackId !== undefined && this.packs) {
      if (applied.length > 0) await this.packs.publish(options.publishPackId);
      else await this.packs.discard(options.publishPackId);
    }
    if (wasEmpty && !this.refs.has(this.head)) {
      const firstBranch = [...this.refs.keys()]
        .filter((n) => n.startsWith('refs/heads/'))
        .sort(compareBytes)[0];
      if (firstBranch) this.head = firstBranch;
    }
    return results;
  }

  /** Null when the command's compare-and-swap holds, else the reason it does not. */
  private check(c: RefCommand): string | null {
    const current = this.refs.get(c.name);
    if (c.newOid === ZERO_OID) {
      if (!current) return 'no such ref';
      if (c.oldOid !== ZERO_OID && c.oldOid !== current.oid) return 'stale info';
      return null;
    }
    if (c.oldOid === ZERO_OID) return current ? 'already exists' : null;
    if (!current) return 'no such ref';
    return current.oid === c.oldOid ? null : 'stale info';
  }
}

/** Byte order (what git uses), which for UTF-16 strings matches code unit order on ASCII. */
function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
