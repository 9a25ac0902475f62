/**
 * The engine's RefStore on Durable Object SQLite: rows of refs and HEAD. A ref update reads and
 * writes the rows refs/plan.ts's planner asks for (compare-and-swap, name conflicts, HEAD) in one
 * storage transaction, together with publishing the push's pack.
 */
import { planRefUpdates, planResults, type RefView } from '../git/refs/plan';
import {
  type Oid,
  type Ref,
  type RefCommand,
  type RefCommandResult,
  type RefStore,
  type RefUpdateOptions,
  ZERO_OID,
} from '../git/store';
import { readMeta, writeMeta } from './meta';
import type { SqlPackStore } from './pack-store';

interface RefRow extends Record<string, SqlStorageValue> {
  name: string;
  oid: string;
  /** An annotated tag's final object; '' when the ref names no tag object; null: not known. */
  peeled: string | null;
}

/** The `peeled` column of a ref: '' marks an object known not to be a tag. */
function peeledColumn(known: { readonly peeled?: Oid; readonly notTag?: boolean }): string | null {
  return known.peeled ?? (known.notTag ? '' : null);
}

/** The `meta` row holding HEAD's target. */
export const HEAD_KEY = 'head';

export class SqlRefStore implements RefStore {
  constructor(
    private readonly sql: SqlStorage,
    private readonly storage: DurableObjectStorage,
    private readonly packs: SqlPackStore,
    private readonly defaultBranch: string,
  ) {}

  async list(prefixes?: readonly string[]): Promise<Ref[]> {
    return this.listSync(prefixes);
  }

  listSync(prefixes?: readonly string[]): Ref[] {
    const rows = this.sql.exec<RefRow>('SELECT name, oid, peeled FROM refs ORDER BY name').toArray();
    const refs: Ref[] = [];
    for (const r of rows) {
      if (prefixes && prefixes.length > 0 && !prefixes.some((p) => r.name.startsWith(p))) continue;
      if (r.peeled) refs.push({ name: r.name, oid: r.oid, peeled: r.peeled });
      else if (r.peeled === '') refs.push({ name: r.name, oid: r.oid, notTag: true });
      else refs.push({ name: r.name, oid: r.oid });
    }
    return refs;
  }

  get(name: string): Oid | null {
    return this.sql.exec<RefRow>('SELECT oid FROM refs WHERE name = ?', name).toArray()[0]?.oid ?? null;
  }

  async headTarget(): Promise<string> {
    return this.headTargetSync();
  }

  headTargetSync(): string {
    return readMeta(this.sql, HEAD_KEY) ?? `refs/heads/${this.defaultBranch}`;
  }

  setHeadTarget(target: string): void {
    writeMeta(this.sql, HEAD_KEY, target);
  }

  async update(commands: readonly RefCommand[], options: RefUpdateOptions): Promise<RefCommandResult[]> {
    try {
      return this.storage.transactionSync(() => this.apply(commands, options));
    } finally {
      // A pack published inside may have rolled back with the transaction.
      this.packs.forgetLivePacks();
    }
  }

  async rememberPeeled(found: readonly Ref[]): Promise<void> {
    // Only rows still at the value that was looked up, and not known already.
    for (const f of found) {
      const peeled = peeledColumn(f);
      if (peeled === null) continue;
      this.sql.exec(
        'UPDATE refs SET peeled = ? WHERE name = ? AND oid = ? AND peeled IS NULL',
        peeled,
        f.name,
        f.oid,
      );
    }
  }

  /** The ref update, inside its transaction: the planner's rules over these rows. */
  private apply(commands: readonly RefCommand[], options: RefUpdateOptions): RefCommandResult[] {
    const plan = planRefUpdates(this.view, commands, {
      atomic: options.atomic,
      head: this.headTargetSync(),
      check: options.check,
    });
    for (const c of plan.updates) {
      if (c.newOid === ZERO_OID) this.sql.exec('DELETE FROM refs WHERE name = ?', c.name);
      else
        this.sql.exec(
          'INSERT OR REPLACE INTO refs (name, oid, peeled) VALUES (?, ?, ?)',
          c.name,
          c.newOid,
          peeledColumn(c),
        );
    }
    if (plan.head !== null) this.setHeadTarget(plan.head);
    if (options.publishPackId !== undefined) {
      if (plan.updates.length > 0) this.packs.publish(options.publishPackId);
      else this.packs.discard(options.publishPackId);
    }
    return planResults(commands, plan);
  }

  /** What the planner reads: single rows, and the refs under a name (lazily, from the cursor). */
  private readonly view: RefView = {
    get: (name) => this.get(name),
    below: (name) => this.namesBelow(name),
    isEmpty: () => this.sql.exec('SELECT 1 FROM refs LIMIT 1').toArray().length === 0,
  };

  private *namesBelow(name: string): Generator<string> {
    // Every name under `name/` sorts between `name/` and `name0` ('0' follows '/').
    const rows = this.sql.exec<RefRow>(
      'SELECT name FROM refs WHERE name > ? AND name < ?',
      `${name}/`,
      `${name}0`,
    );
    for (const row of rows) yield row.name;
  }
}
