import { DurableObject } from 'cloudflare:workers';

export class RepoObject extends DurableObject<Env> {
  /** Remove everything this repository stores (called when the repository is deleted). */
  async destroy(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
  }
}
