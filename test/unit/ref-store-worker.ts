// A Durable Object around the production SQLite ref store, for the unit tests that drive it
// through Miniflare (src/storage/ref-store.test.ts): the same classes the repository object uses.
import { DurableObject } from 'cloudflare:workers';
import type { Oid, Ref, RefCommand, RefCommandResult } from '../../src/git/store';
import { SqlPackStore } from '../../src/storage/pack-store';
import { SqlRefStore } from '../../src/storage/ref-store';
import { migrate } from '../../src/storage/schema';

export class RefStoreObject extends DurableObject {
  private readonly packs: SqlPackStore;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    migrate(ctx.storage.sql);
    this.packs = new SqlPackStore(ctx.storage.sql);
  }

  private refs(): SqlRefStore {
    return new SqlRefStore(this.ctx.storage.sql, this.ctx.storage, this.packs, 'main');
  }

  /** Write refs and HEAD as rows, bypassing the rules (the state a case starts from). */
  seed(refs: Record<string, Oid>, head: string): void {
    for (const [name, oid] of Object.entries(refs))
      this.ctx.storage.sql.exec('INSERT INTO refs (name, oid) VALUES (?, ?)', name, oid);
    this.refs().setHeadTarget(head);
  }

  async update(
    commands: RefCommand[],
    options: { atomic: boolean; publishPackId?: number },
  ): Promise<RefCommandResult[]> {
    return this.refs().update(commands, options);
  }

  async list(): Promise<Ref[]> {
    return this.refs().list();
  }

  async rememberPeeled(found: Ref[]): Promise<void> {
    await this.refs().rememberPeeled(found);
  }

  headTarget(): string {
    return this.refs().headTargetSync();
  }

  /** A pending pack for an update to publish or drop. */
  newPack(): number {
    return this.packs.newPack().packId;
  }

  /** A pack's state ('pending', 'live'), or null once dropped. */
  packState(id: number): string | null {
    const rows = this.ctx.storage.sql.exec<{ state: string }>('SELECT state FROM packs WHERE id = ?', id);
    return rows.toArray()[0]?.state ?? null;
  }
}

export default {
  fetch(): Response {
    return new Response(null, { status: 404 });
  },
};
