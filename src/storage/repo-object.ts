/**
 * One repository: a thin RPC shell over the git engine, with its packs, object index and refs in
 * this Durable Object's SQLite. Every operation on the repository's git data goes through here.
 */
import { DurableObject } from 'cloudflare:workers';
import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import type { Sha1 } from '../git/sha1';
import { ObjectDatabase } from '../git/odb';
import { advertiseRefs } from '../git/protocol/advertise';
import { receivePack } from '../git/protocol/receive-pack';
import type { GitRepository, GitService, ProtocolVersion } from '../git/protocol/repository';
import { fromReadableStream } from '../git/protocol/stream';
import { uploadPack } from '../git/protocol/upload-pack';
import { type BrowseRequest, type BrowseResult, runBrowse } from './browse';
import { SqlPackStore } from './pack-store';
import { SqlRefStore } from './ref-store';
import { migrate } from './schema';

export type { GitService, ProtocolVersion };

export interface RepoOptions {
  /** The branch HEAD points to until the repository says otherwise (from the metadata database). */
  readonly defaultBranch: string;
}

const AGENT = 'gitflare/0.1';

/** zlib from the runtime: much faster than a JavaScript inflate for reading stored objects. */
function nativeInflate(data: Uint8Array, size: number): Uint8Array {
  const out = inflateSync(data, { maxOutputLength: Math.max(size, 1) });
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** SHA-1 from the runtime (BoringSSL): about twenty times faster than hashing in JavaScript. */
function nativeSha1(): Sha1 {
  const h = createHash('sha1');
  return {
    update(bytes) {
      h.update(bytes);
    },
    digest() {
      const d = h.digest();
      return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
    },
  };
}

export class RepoObject extends DurableObject<Env> {
  private packs: SqlPackStore;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    migrate(ctx.storage.sql);
    this.packs = new SqlPackStore(ctx.storage.sql);
  }

  private refStore(opts: RepoOptions): SqlRefStore {
    return new SqlRefStore(this.ctx.storage.sql, this.ctx.storage, this.packs, opts.defaultBranch);
  }

  private repository(opts: RepoOptions): GitRepository {
    return {
      odb: new ObjectDatabase(this.packs, { inflate: nativeInflate, createSha1: nativeSha1 }),
      refs: this.refStore(opts),
      newPack: async () => this.packs.newPack(),
      agent: AGENT,
    };
  }

  /** The `info/refs` body for a service. */
  async advertise(service: GitService, version: ProtocolVersion, opts: RepoOptions): Promise<Uint8Array> {
    return advertiseRefs(service, this.repository(opts), { version });
  }

  async uploadPack(
    body: ReadableStream<Uint8Array>,
    version: ProtocolVersion,
    opts: RepoOptions,
  ): Promise<ReadableStream<Uint8Array>> {
    return uploadPack(fromReadableStream(body), this.repository(opts), { version });
  }

  async receivePack(body: ReadableStream<Uint8Array>, opts: RepoOptions): Promise<ReadableStream<Uint8Array>> {
    return receivePack(fromReadableStream(body), this.repository(opts));
  }

  /** Reads for the web UI and the content API (trees, files, history, diffs, blame, archives). */
  async browse(request: BrowseRequest, opts: RepoOptions): Promise<BrowseResult> {
    const repo = this.repository(opts);
    return runBrowse(request, repo.odb, repo.refs);
  }

  /** The branch HEAD points to (it may have moved on the first push). */
  async headBranch(opts: RepoOptions): Promise<string> {
    return this.refStore(opts).headTargetSync().replace(/^refs\/heads\//, '');
  }

  /** Point HEAD at another branch (the repository's default branch changed). */
  async setDefaultBranch(branch: string): Promise<void> {
    this.refStore({ defaultBranch: branch }).setHeadTarget(`refs/heads/${branch}`);
  }

  /** Whether the repository has no refs yet. */
  async isEmpty(): Promise<boolean> {
    return this.ctx.storage.sql.exec('SELECT 1 FROM refs LIMIT 1').toArray().length === 0;
  }

  /** Remove everything this repository stores (called when the repository is deleted). */
  async destroy(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    // This instance may serve again (a new repository reusing the name): start from a clean slate.
    migrate(this.ctx.storage.sql);
    this.packs = new SqlPackStore(this.ctx.storage.sql);
  }
}
