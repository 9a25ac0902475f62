/**
 * Packs and raw pushes for tests. Hand-made packs for what a receiver must refuse: whole objects
 * of any content (git's `hash-object --literally` equivalent), raw entries with lying headers,
 * deltas, and corrupt trailers; git's own pack of a commit range (`packRange`). Also raw
 * receive-pack clients: one that posts commands + pack and parses the report (`rawPush`), one
 * whose body the caller writes in pieces (`receivePackRequest`).
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { type ClientRequest, type IncomingMessage, request } from 'node:http';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { MemoryPackStore } from '../../src/git/memory/pack-store';
import { indexPack } from '../../src/git/pack/index-pack';
import { chunked, git, gitBytes } from './git';

export type RawType = 'commit' | 'tree' | 'blob' | 'tag';
const TYPE_NUMBER: Record<RawType, number> = { commit: 1, tree: 2, blob: 3, tag: 4 };
export const ZERO = '0'.repeat(40);

export interface RawObject {
  readonly type: RawType;
  readonly data: Uint8Array;
}

const enc = new TextEncoder();

export function bytes(s: string | Uint8Array): Uint8Array {
  return typeof s === 'string' ? enc.encode(s) : s;
}

/** The id git gives an object of this type and content (no validation, as `--literally`). */
export function oidOf(type: RawType, data: Uint8Array): string {
  return createHash('sha1').update(`${type} ${data.length}\0`).update(data).digest('hex');
}

export function obj(type: RawType, data: string | Uint8Array): RawObject & { oid: string } {
  const d = bytes(data);
  return { type, data: d, oid: oidOf(type, d) };
}

/** One tree entry's bytes: `mode SP name NUL oid`. */
export function treeEntry(mode: string, name: string | Uint8Array, oid: string): Uint8Array {
  const n = bytes(name);
  const out = new Uint8Array(mode.length + 1 + n.length + 1 + 20);
  out.set(enc.encode(`${mode} `), 0);
  out.set(n, mode.length + 1);
  out.set(Buffer.from(oid, 'hex'), mode.length + 2 + n.length);
  return out;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.length))));
}

/**
 * Type-and-size header of a pack entry (`type` is the pack type number; 0 and 5 too, which the
 * engine's encoder never writes). Written here again on purpose, from git's pack-format.txt,
 * rather than imported from the engine: the hostile packs the tests build must not share a bug
 * with the reader under test.
 */
export function entryHeader(type: number, size: number): Uint8Array {
  const out: number[] = [];
  let c = (type << 4) | (size & 0x0f);
  let rest = Math.floor(size / 16);
  while (rest > 0) {
    out.push(c | 0x80);
    c = rest & 0x7f;
    rest = Math.floor(rest / 128);
  }
  out.push(c);
  return Uint8Array.from(out);
}

/** A raw entry: header as given (it may lie about the size) plus any zlib payload. */
export interface RawEntry {
  readonly header: Uint8Array;
  readonly payload: Uint8Array;
}

export function wholeEntry(o: RawObject): RawEntry {
  return { header: entryHeader(TYPE_NUMBER[o.type], o.data.length), payload: deflateSync(o.data) };
}

/** A ref-delta entry (base by id) whose delta is given raw. */
export function refDeltaEntry(baseOid: string, delta: Uint8Array): RawEntry {
  return {
    header: concat([entryHeader(7, delta.length), Buffer.from(baseOid, 'hex')]),
    payload: deflateSync(delta),
  };
}

/** Delta size varint (as in delta headers). */
export function deltaVarint(n: number): Uint8Array {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Uint8Array.from(out);
}

export interface PackOptions {
  /** Declared object count (default: the number of entries). */
  readonly count?: number;
  /** Replace the trailer (e.g. a wrong checksum). */
  readonly trailer?: Uint8Array;
  readonly signature?: string;
}

export function buildPack(entries: readonly RawEntry[], opts: PackOptions = {}): Uint8Array {
  const head = new Uint8Array(12);
  head.set(enc.encode(opts.signature ?? 'PACK'), 0);
  const view = new DataView(head.buffer);
  view.setUint32(4, 2);
  view.setUint32(8, opts.count ?? entries.length);
  const body = concat([head, ...entries.flatMap((e) => [e.header, e.payload])]);
  const trailer = opts.trailer ?? new Uint8Array(createHash('sha1').update(body).digest());
  return concat([body, trailer]);
}

export function packOf(objects: readonly RawObject[]): Uint8Array {
  return buildPack(objects.map(wholeEntry));
}

/** git's pack of the objects reachable from `tip` but not from `base` in repository `dir`. */
/**
 * A memory store holding the whole history of `repo` as one published pack, written by git's
 * `pack-objects` (with `packArgs`) and indexed by the engine in pieces of `pieceBytes`.
 */
export async function storeOfRepo(
  repo: string,
  packArgs: readonly string[] = [],
  pieceBytes = 65_536,
): Promise<{ store: MemoryPackStore; packId: number }> {
  const store = new MemoryPackStore();
  const pack = gitBytes(repo, ['pack-objects', '--all', '--revs', '--stdout', '-q', ...packArgs], '');
  const w = store.newPack();
  await indexPack(chunked(pack, pieceBytes), w, store);
  store.publish(w.packId);
  return { store, packId: w.packId };
}

let accepted = 0;

/**
 * Checks `pack` with C git inside `repo` (so that links resolve), its files written to `dir`:
 * `index-pack --strict` must accept it; returns the ids `verify-pack` lists.
 */
export function packAcceptedByGit(repo: string, dir: string, pack: Uint8Array): Set<string> {
  const file = join(dir, `accepted-${accepted++}.pack`);
  writeFileSync(file, pack);
  const idx = file.replace(/\.pack$/, '.idx');
  git(repo, ['index-pack', '--strict', '-o', idx, file]);
  const ids = new Set<string>();
  for (const line of git(repo, ['verify-pack', '-v', idx]).split('\n')) {
    const m = /^([0-9a-f]{40}) /.exec(line);
    if (m) ids.add(m[1]);
  }
  return ids;
}

export function packRange(dir: string, tip: string, base: string): Uint8Array {
  return gitBytes(dir, ['pack-objects', '--revs', '--stdout', '-q'], `${tip}\n^${base}\n`);
}

function pkt(line: string | Uint8Array): Uint8Array {
  const b = bytes(line);
  return concat([enc.encode((b.length + 4).toString(16).padStart(4, '0')), b]);
}

export interface PushCommand {
  readonly name: string;
  readonly oldOid?: string;
  readonly newOid: string;
}

/** The request body of a push: commands (first with capabilities), flush, then the pack. */
export function pushBody(
  commands: readonly PushCommand[],
  pack: Uint8Array | null,
  caps = 'report-status side-band-64k agent=gitflare-test',
): Uint8Array {
  const lines = commands.map((c, i) =>
    pkt(`${c.oldOid ?? ZERO} ${c.newOid} ${c.name}${i === 0 ? `\0${caps}` : ''}\n`),
  );
  return concat([...lines, enc.encode('0000'), ...(pack ? [pack] : [])]);
}

export interface PushReport {
  /** Report-status lines without LF, e.g. `unpack ok`, `ng refs/heads/x unpacker error`. */
  readonly status: string[];
  /** Everything sent on side-band 2 (the client's `remote:` lines). */
  readonly messages: string;
  readonly httpStatus: number;
}

/** Split a pkt-line stream; returns payloads (null for flush). */
export function readPkts(data: Uint8Array): Array<Uint8Array | null> {
  const out: Array<Uint8Array | null> = [];
  let pos = 0;
  while (pos + 4 <= data.length) {
    const len = Number.parseInt(new TextDecoder().decode(data.subarray(pos, pos + 4)), 16);
    if (Number.isNaN(len)) break;
    if (len < 4) {
      out.push(null);
      pos += 4;
      continue;
    }
    out.push(data.subarray(pos + 4, pos + len));
    pos += len;
  }
  return out;
}

export function parseReport(data: Uint8Array, httpStatus = 200): PushReport {
  const dec = new TextDecoder();
  const band1: Uint8Array[] = [];
  let messages = '';
  for (const p of readPkts(data)) {
    if (p === null || p.length === 0) continue;
    if (p[0] === 1) band1.push(p.subarray(1));
    else if (p[0] === 2 || p[0] === 3) messages += dec.decode(p.subarray(1));
  }
  const status: string[] = [];
  for (const p of readPkts(concat(band1))) if (p !== null) status.push(dec.decode(p).replace(/\n$/, ''));
  return { status, messages, httpStatus };
}

/** Post a push to a Smart HTTP receive-pack endpoint (`url` ends in `.git`). */
export async function rawPush(
  url: string,
  body: Uint8Array,
  headers: Record<string, string> = {},
): Promise<PushReport> {
  const res = await fetch(`${url}/git-receive-pack`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-git-receive-pack-request', ...headers },
    body: body.slice(),
  });
  return parseReport(new Uint8Array(await res.arrayBuffer()), res.status);
}

/**
 * A `git-receive-pack` POST whose body the caller writes (chunked), for pushes sent in pieces
 * and held open. `url` is the repository URL (ending in `.git`), as for `rawPush`.
 */
export function receivePackRequest(
  url: string,
  auth: { readonly username: string; readonly password: string },
  onResponse?: (res: IncomingMessage) => void,
): ClientRequest {
  const u = new URL(`${url}/git-receive-pack`);
  return request(
    {
      host: u.hostname,
      port: u.port,
      path: u.pathname,
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-git-receive-pack-request',
        Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`,
        'Transfer-Encoding': 'chunked',
      },
    },
    onResponse,
  );
}

/**
 * A push sending half its body now and the rest on `finish()`, which resolves to the response
 * text. `receiving` resolves when the response's headers arrive: the repository has the push.
 */
export function slowPush(
  url: string,
  body: Uint8Array,
): { receiving: Promise<void>; finish(): Promise<string> } {
  const u = new URL(url);
  let pending = (): void => undefined;
  let received = (): void => undefined;
  const receiving = new Promise<void>((resolve) => {
    received = resolve;
  });
  const response = new Promise<string>((resolve, reject) => {
    const req = receivePackRequest(url, { username: u.username, password: u.password }, (res) => {
      received();
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve(Buffer.concat(parts).toString('latin1')));
    });
    req.on('error', reject);
    req.write(body.subarray(0, body.length >> 1));
    pending = () => req.end(body.subarray(body.length >> 1));
  });
  return {
    receiving,
    finish: () => {
      pending();
      return response;
    },
  };
}

/**
 * Stores the whole object `stored` as a published pack of `packs`, indexed under the id `oid`
 * (another object's, as a SHA-1 collision would have it).
 */
export async function storeUnderId(
  packs: MemoryPackStore,
  oid: string,
  stored: RawObject,
): Promise<RawEntry> {
  const entry = wholeEntry(stored);
  const w = packs.newPack();
  await w.append(buildPack([entry]));
  await w.addEntries([
    {
      oid,
      packId: w.packId,
      offset: 12,
      dataOffset: 12 + entry.header.length,
      end: 12 + entry.header.length + entry.payload.length,
      type: stored.type,
      size: stored.data.length,
      baseOid: null,
      depth: 0,
      crc32: 0,
    },
  ]);
  packs.publish(w.packId);
  return entry;
}
