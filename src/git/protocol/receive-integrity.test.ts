/**
 * Pack-level integrity of receive-pack: corrupt packs refused as git refuses them (compared with
 * `git http-backend`), size caps, zlib bombs, collisions, interrupted bodies, push options,
 * progress on side-band 2. The repository must be unchanged after every refusal.
 */
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, gitBytes, makeRepo, removeDir } from '../../../test/helpers/git';
import { type HttpBackend, startHttpBackend } from '../../../test/helpers/http-backend';
import { type NodeGitServer, startNodeGitServer } from '../../../test/helpers/node-git-server';
import {
  buildPack,
  bytes,
  concat,
  deltaVarint,
  entryHeader,
  obj,
  packOf,
  parseReport,
  pushBody,
  type RawEntry,
  rawPush,
  refDeltaEntry,
  storeUnderId,
  treeEntry,
  wholeEntry,
} from '../../../test/helpers/packs';
import { MemoryRepository } from '../memory/repo';
import { type ReceivePackOptions, receivePack } from './receive-pack';

const WHO = 'A <a@example.com> 1700000000 +0000';
const blob = obj('blob', 'hello\n');
const tree = obj('tree', treeEntry('100644', 'f', blob.oid));
const commit = obj('commit', `tree ${tree.oid}\nauthor ${WHO}\ncommitter ${WHO}\n\nm\n`);
const good = [blob, tree, commit];
const ref = 'refs/heads/main';

async function* chunks(data: Uint8Array, size = 1000): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

async function run(repo: MemoryRepository, body: AsyncIterable<Uint8Array>, options?: ReceivePackOptions) {
  const out: Uint8Array[] = [];
  const reader = receivePack(body, repo, options).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    out.push(value);
  }
  return parseReport(concat(out));
}

async function unchanged(repo: MemoryRepository, refs: string[] = []): Promise<void> {
  expect((await repo.refs.list()).map((r) => r.name)).toEqual(refs);
  for (const o of good) if (!refs.length) expect(await repo.odb.has(o.oid)).toBe(false);
  // Every pack that was pending is gone (bytes dropped), not merely hidden.
  for (let id = 1; id < 20; id++) if (!refs.length) expect(repo.packs.packSize(id)).toBe(0);
}

function deltaEntry(base: string, delta: Uint8Array): RawEntry {
  return refDeltaEntry(base, delta);
}

/** Corrupt packs: each refused by git and by us, with nothing kept. */
function badPacks(): Array<[string, Uint8Array]> {
  const whole = good.map(wholeEntry);
  const ok = buildPack(whole);
  const lying = (declared: number): RawEntry => ({
    header: entryHeader(3, declared),
    payload: deflateSync(blob.data),
  });
  const badZlib = { ...whole[0], payload: Uint8Array.from([0x78, 0x9c, 0xff, 0xff, 0x00, 0x01]) };
  return [
    ['bad signature', buildPack(whole, { signature: 'PACX' })],
    ['truncated', ok.subarray(0, ok.length - 30)],
    ['bad checksum', buildPack(whole, { trailer: new Uint8Array(20).fill(7) })],
    ['junk after the trailer', concat([ok, bytes('junk')])],
    ['object inflates past its declared size', buildPack([lying(3), whole[1], whole[2]])],
    ['object inflates short of its declared size', buildPack([lying(100), whole[1], whole[2]])],
    ['more objects declared than sent', buildPack(whole, { count: 4 })],
    ['corrupt zlib stream', buildPack([badZlib, whole[1], whole[2]])],
    [
      'ref-delta against a missing base',
      buildPack([
        ...whole,
        deltaEntry('1'.repeat(40), concat([deltaVarint(1), deltaVarint(1), Uint8Array.of(1, 0x41)])),
      ]),
    ],
    [
      'delta copying past its base',
      buildPack([
        ...whole,
        deltaEntry(blob.oid, concat([deltaVarint(6), deltaVarint(50), Uint8Array.of(0x91, 0, 50)])),
      ]),
    ],
    [
      'delta with a wrong base size',
      buildPack([
        ...whole,
        deltaEntry(blob.oid, concat([deltaVarint(99), deltaVarint(1), Uint8Array.of(1, 0x41)])),
      ]),
    ],
    [
      'delta with opcode 0',
      buildPack([...whole, deltaEntry(blob.oid, concat([deltaVarint(6), deltaVarint(1), Uint8Array.of(0)]))]),
    ],
  ];
}

describe('corrupt packs, compared with git http-backend', () => {
  let backend: HttpBackend;
  let server: NodeGitServer;
  beforeAll(async () => {
    [backend, server] = await Promise.all([startHttpBackend(), startNodeGitServer()]);
  });
  afterAll(async () => {
    await Promise.all([backend.close(), server.close()]);
  });

  it.each(badPacks())('refuses a pack with %s', async (name, pack) => {
    const repoName = name.replace(/\W+/g, '-');
    const body = pushBody([{ name: ref, newOid: commit.oid }], pack);
    const theirs = await rawPush(backend.create(repoName), body);
    const ours = await rawPush(`${server.url}/${repoName}.git`, body);
    // git notices junk after the trailer only when it arrives in the same read as the trailer
    // (otherwise it is left unread and the push passes); we always refuse it.
    if (name === 'junk after the trailer') {
      expect(ours.status).toEqual(['unpack index-pack abnormal exit', `ng ${ref} unpacker error`]);
    } else {
      expect(theirs.status[0], theirs.messages).not.toBe('unpack ok');
      expect(ours.status, ours.messages).toEqual(theirs.status);
    }
    expect(ours.messages).toMatch(/fatal: /);
    await unchanged(server.repo(repoName));
  });
});

describe('receive-pack limits and guards', () => {
  it('refuses an object over maxObjectBytes with a clear message', async () => {
    const repo = new MemoryRepository();
    const big = obj('blob', new Uint8Array(5000));
    const t = obj('tree', treeEntry('100644', 'big', big.oid));
    const c = obj('commit', `tree ${t.oid}\nauthor ${WHO}\ncommitter ${WHO}\n\nm\n`);
    const r = await run(repo, chunks(pushBody([{ name: ref, newOid: c.oid }], packOf([big, t, c]))), {
      maxObjectBytes: 4096,
    });
    expect(r.status).toEqual(['unpack index-pack abnormal exit', `ng ${ref} unpacker error`]);
    expect(r.messages).toMatch(/fatal: .*5000 bytes, limit 4096/);
    await unchanged(repo);
  });

  it('stops reading a push past maxPushBytes', async () => {
    const repo = new MemoryRepository();
    const payload = obj('blob', crypto.getRandomValues(new Uint8Array(60_000)));
    const t = obj('tree', treeEntry('100644', 'r', payload.oid));
    const c = obj('commit', `tree ${t.oid}\nauthor ${WHO}\ncommitter ${WHO}\n\nm\n`);
    const body = pushBody([{ name: ref, newOid: c.oid }], packOf([payload, t, c]));
    let sent = 0;
    const counted = (async function* () {
      for await (const chunk of chunks(body, 1000)) {
        sent += chunk.length;
        yield chunk;
      }
    })();
    const r = await run(repo, counted, { maxPushBytes: 10_000 });
    expect(r.status[0]).toBe('unpack index-pack abnormal exit');
    expect(r.messages).toContain('pack exceeds maximum allowed size (10000 bytes)');
    expect(sent).toBeLessThan(12_000);
    await unchanged(repo);
  });

  it('refuses a pack of more objects than maxPushObjects from its header', async () => {
    const repo = new MemoryRepository();
    const b = obj('blob', 'file\n');
    const t = obj('tree', treeEntry('100644', 'f', b.oid));
    const c = obj('commit', `tree ${t.oid}\nauthor ${WHO}\ncommitter ${WHO}\n\nm\n`);
    const body = pushBody([{ name: ref, newOid: c.oid }], packOf([b, t, c]));
    const refused = await run(repo, chunks(body, 1000), { maxPushObjects: 2 });
    expect(refused.status[0]).toBe('unpack index-pack abnormal exit');
    expect(refused.messages).toContain(
      'pack has 3 objects, more than the 2 one push may bring; push the history in parts',
    );
    await unchanged(repo);
    // At the cap, it lands.
    const taken = await run(repo, chunks(body, 1000), { maxPushObjects: 3 });
    expect(taken.status).toEqual(['unpack ok', `ok ${ref}`]);
  });

  it('stops a zlib bomb at its declared size', async () => {
    const repo = new MemoryRepository();
    // 64 MiB of zeros in ~64 KiB of zlib, declared as 10 bytes.
    const bomb: RawEntry = {
      header: entryHeader(3, 10),
      payload: deflateSync(new Uint8Array(64 * 1024 * 1024), { level: 9 }),
    };
    const heap = process.memoryUsage().heapUsed;
    const r = await run(
      repo,
      chunks(
        pushBody([{ name: ref, newOid: commit.oid }], buildPack([bomb, ...good.map(wholeEntry)])),
        65536,
      ),
    );
    expect(r.status[0]).toBe('unpack index-pack abnormal exit');
    expect(r.messages).toMatch(/inflates past its declared 10 bytes/);
    expect(process.memoryUsage().heapUsed - heap).toBeLessThan(64 * 1024 * 1024);
    await unchanged(repo);
  });

  it('refuses an object whose id is stored with other bytes (collision)', async () => {
    const repo = new MemoryRepository();
    const real = obj('blob', 'good');
    // Store "evil" under the id of "good", as a SHA-1 collision would.
    await storeUnderId(repo.packs, real.oid, obj('blob', 'evil'));
    const t = obj('tree', treeEntry('100644', 'g', real.oid));
    const c = obj('commit', `tree ${t.oid}\nauthor ${WHO}\ncommitter ${WHO}\n\nm\n`);
    const r = await run(repo, chunks(pushBody([{ name: ref, newOid: c.oid }], packOf([real, t, c]))));
    expect(r.status).toEqual(['unpack index-pack abnormal exit', `ng ${ref} unpacker error`]);
    expect(r.messages).toContain(`SHA1 COLLISION FOUND WITH ${real.oid}`);
    expect(await repo.odb.has(c.oid)).toBe(false);
  });

  it('refuses junk after the trailer even when it arrives in a later chunk', async () => {
    const repo = new MemoryRepository();
    const body = pushBody([{ name: ref, newOid: commit.oid }], packOf(good));
    const late = (async function* () {
      yield body;
      yield bytes('junk');
    })();
    const r = await run(repo, late);
    expect(r.status).toEqual(['unpack index-pack abnormal exit', `ng ${ref} unpacker error`]);
    expect(r.messages).toContain('pack has junk at the end');
    await unchanged(repo);
  });

  it('leaves the repository as it was when the body is cut off mid-pack', async () => {
    const repo = new MemoryRepository();
    const body = pushBody([{ name: ref, newOid: commit.oid }], packOf(good));
    const cut = (async function* () {
      yield body.subarray(0, body.length - 40);
      throw new Error('client went away');
    })();
    await expect(run(repo, cut)).rejects.toThrow('client went away');
    await unchanged(repo);
  });

  it('hands push options to the caller and reports with report-status-v2', async () => {
    const repo = new MemoryRepository();
    const seen: string[][] = [];
    const cmd = `${'0'.repeat(40)} ${commit.oid} ${ref}\0report-status-v2 side-band-64k push-options quiet\n`;
    const pkt = (s: string) => bytes(`${(s.length + 4).toString(16).padStart(4, '0')}${s}`);
    const body = concat([
      pkt(cmd),
      bytes('0000'),
      pkt('ci.skip\n'),
      pkt('reviewer=alice\n'),
      bytes('0000'),
      packOf(good),
    ]);
    const r = await run(repo, chunks(body), { onPushOptions: (o) => void seen.push([...o]) });
    expect(seen).toEqual([['ci.skip', 'reviewer=alice']]);
    expect(r.status).toEqual(['unpack ok', `ok ${ref}`]);
    // quiet: no progress on band 2.
    expect(r.messages).toBe('');
  });
});

describe('progress on side-band 2', () => {
  let src: string;
  beforeAll(() => {
    src = makeRepo(40);
  });
  afterAll(() => removeDir(src));

  it('shows Resolving deltas and Checking connectivity, as git does', async () => {
    const repo = new MemoryRepository();
    const head = git(src, ['rev-parse', 'main']).trim();
    const pack = gitBytes(src, ['pack-objects', '--revs', '--stdout'], 'main\n');
    const r = await run(repo, chunks(pushBody([{ name: ref, newOid: head }], pack), 8192));
    expect(r.status).toEqual(['unpack ok', `ok ${ref}`]);
    expect(r.messages).toMatch(/Resolving deltas: 100% \(\d+\/\d+\), done\.\n/);
    expect(r.messages).toContain('Checking connectivity: 1, done.');
  });
});
