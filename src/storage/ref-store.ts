/**
 * The engine's RefStore on Durable Object SQLite. Ref updates are compare-and-swap on the old
 * value and run, together with publishing the push's pack, in one storage transaction.
 */
import {
  type Oid,
  type Ref,
  type RefCommand,
  type RefCommandResult,
  type RefStore,
  ZERO_OID,
} from '../git/store';
import type { SqlPackStore } from './pack-store';

interface RefRow extends Record<string, SqlStorageValue> {
  name: string;
  oid: string;
  peeled: string | null;
}

const HEAD_KEY = 'head';

type RefUpdateOptions = { readonly atomic: boolean; readonly publishPackId?: number };

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
      refs.push(r.peeled ? { name: r.name, oid: r.oid, peeled: r.peeled } : { name: r.name, oid: r.oid });
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
    const row = this.sql
      .exec<{ value: string }>('SELECT value FROM meta WHERE key = ?', HEAD_KEY)
      .toArray()[0];
    return row?.value ?? `refs/heads/${this.defaultBranch}`;
  }

  setHeadTarget(target: string): void {
    this.sql.exec('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)', HEAD_KEY, target);
  }

  async update(commands: readonly RefCommand[], options: RefUpdateOptions): Promise<RefCommandResult[]> {
    try {
      return this.storage.transactionSync(() => this.apply(commands, options));
    } finally {
      // A pack published inside may have rolled back with the transaction.
      this.packs.forgetLivePacks();
    }
  }

  /** The ref update, inside its transaction. */
  private apply(commands: readonly RefCommand[], options: RefUpdateOptions): RefCommandResult[] {
    const hadRefs = this.sql.exec('SELECT 1 FROM refs LIMIT 1').toArray().length > 0;
    const failures = new Map<string, string>();
    for (const cmd of commands) {
      const reason = this.check(cmd, commands);
      if (reason) failures.set(cmd.name, reason);
    }
    if (options.atomic && failures.size > 0) {
      if (options.publishPackId !== undefined) this.packs.discard(options.publishPackId);
      return commands.map((c) => ({
        name: c.name,
        ok: false as const,
        reason: failures.get(c.name) ?? 'atomic push failure',
      }));
    }
    const results: RefCommandResult[] = [];
    const created: string[] = [];
    for (const cmd of commands) {
      const reason = failures.get(cmd.name);
      if (reason) {
        results.push({ name: cmd.name, ok: false, reason });
        continue;
      }
      if (cmd.newOid === ZERO_OID) {
        this.sql.exec('DELETE FROM refs WHERE name = ?', cmd.name);
      } else {
        this.sql.exec(
          'INSERT OR REPLACE INTO refs (name, oid, peeled) VALUES (?, ?, ?)',
          cmd.name,
          cmd.newOid,
          cmd.peeled ?? null,
        );
        if (cmd.oldOid === ZERO_OID) created.push(cmd.name);
      }
      results.push({ name: cmd.name, ok: true });
    }
    const applied = results.some((r) => r.ok);
    if (options.publishPackId !== undefined) {
      if (applied) this.packs.publish(options.publishPackId);
      else this.packs.discard(options.publishPackId);
    }
    // First push into an empty repository that does not create the default branch: HEAD follows
    // the first branch created, in name order (as GitHub does).
    if (!hadRefs && applied) {
      const head = this.headTargetSync();
      const branches = created.filter((n) => n.startsWith('refs/heads/')).sort();
      if (!created.includes(head) && branches.length > 0) this.setHeadTarget(branches[0]);
    }
    return results;
  }

  /** Why a command cannot apply, or null. */
  private check(cmd: RefCommand, all: readonly RefCommand[]): string | null {
    const current = this.get(cmd.name) ?? ZERO_OID;
    if (current !== cmd.oldOid) {
      if (cmd.oldOid === ZERO_OID) return `cannot lock ref '${cmd.name}': reference already exists`;
      if (current === ZERO_OID)
        return `cannot lock ref '${cmd.name}': unable to resolve reference '${cmd.name}'`;
      return `cannot lock ref '${cmd.name}': is at ${current} but expected ${cmd.oldOid}`;
    }
    if (cmd.newOid !== ZERO_OID && current === ZERO_OID) {
      // A ref cannot be both a file and a directory (refs/heads/a and refs/heads/a/b).
      const deleted = new Set(all.filter((c) => c.newOid === ZERO_OID).map((c) => c.name));
      const parts = cmd.name.split('/');
      for (let i = 2; i < parts.length; i++) {
        const prefix = parts.slice(0, i).join('/');
        if (this.get(prefix) && !deleted.has(prefix)) {
          return `cannot lock ref '${cmd.name}': '${prefix}' exists; cannot create '${cmd.name}'`;
        }
      }
      const below = this.sql
        .exec<RefRow>(
          'SELECT name FROM refs WHERE name > ? AND name < ? LIMIT 1',
          `${cmd.name}/`,
          `${cmd.name}0`,
        )
        .toArray()[0];
      if (below && !deleted.has(below.name)) {
        return `cannot lock ref '${cmd.name}': '${below.name}' exists; cannot create '${cmd.name}'`;
      }
    }
    return null;
  }
}
