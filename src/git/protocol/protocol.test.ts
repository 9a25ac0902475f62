/** The protocol functions driven directly with hand-made requests (no HTTP, no git client). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, gitBytes, makeRepo, removeDir } from '../../../test/helpers/git';
import { concatBytes } from '../bytes';
import { GitError } from '../errors';
import { MemoryRepository } from '../memory/repo';
import { delimPkt, encodePkt, flushPkt, PktLineReader, pktText } from '../pktline';
import { ZERO_OID } from '../store';
import { advertiseRefs } from './advertise';
import { receivePack } from './receive-pack';
import type { GitRepository } from './repository';
import { uploadPack } from './upload-pack';

let src: string;

beforeAll(() => {
  src = makeRepo(80);
});
afterAll(() => removeDir(src));

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

async function bytesOf(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return concatBytes(parts);
    parts.push(value);
  }
}

/** Packets as text lines; flush/delim as markers. Side-band packets are shown with their band. */
async function lines(bytes: Uint8Array): Promise<string[]> {
  const r = new PktLineReader(once(bytes));
  const out: string[] = [];
  for (;;) {
    const p = await r.read();
    if (p.type === 'eof') return out;
    if (p.type === 'data') out.push(pktText(p.data));
    else out.push(p.type === 'flush' ? '0000' : p.type === 'delim' ? '0001' : '0002');
  }
}

/** The report-status lines inside side-band 1 of a receive-pack response. */
async function report(bytes: Uint8Array): Promise<string[]> {
  const r = new PktLineReader(once(bytes));
  const band1: Uint8Array[] = [];
  for (;;) {
    const p = await r.read();
    if (p.type !== 'data') break;
    if (p.data[0] === 1) band1.push(p.data.subarray(1));
  }
  return (await lines(concatBytes(band1))).filter((l) => l !== '0000');
}

function pushRequest(commands: string[], caps: string, pack: Uint8Array | null): Uint8Array {
  const parts = commands.map((c, i) => encodePkt(i === 0 ? `${c}\0${caps}\n` : `${c}\n`));
  parts.push(flushPkt());
  if (pack) parts.push(pack);
  return concatBytes(parts);
}

const rev = (r: string) => git(src, ['rev-parse', r]).trim();

async function loadedRepo(): Promise<MemoryRepository> {
  const repo = new MemoryRepository({ agent: 'test/1' });
  const refs = git(src, ['for-each-ref', '--format=%(objectname) %(refname)']).trim().split('\n');
  const pack = gitBytes(src, ['pack-objects', '--revs', '--all', '--stdout'], '');
  const body = pushRequest(
    refs.map((r) => `${ZERO_OID} ${r}`),
    'report-status side-band-64k',
    pack,
  );
  const rep = await report(await bytesOf(receivePack(once(body), repo)));
  expect(rep[0]).toBe('unpack ok');
  expect(rep.length).toBe(refs.length + 1);
  return repo;
}

describe('advertiseRefs', () => {
  it('advertises an empty repository with capabilities^{}', async () => {
    const repo = new MemoryRepository({ agent: 'test/1' });
    const up = await lines(await advertiseRefs('git-upload-pack', repo, { version: 0 }));
    expect(up[0]).toBe('# service=git-upload-pack');
    expect(up[1]).toBe('0000');
    expect(up[2].startsWith(`${ZERO_OID} capabilities^{}\0`)).toBe(true);
    expect(up[2]).not.toContain('symref=');
    const rp = await lines(await advertiseRefs('git-receive-pack', repo, { version: 2 }));
    expect(rp[2].split('\0')[1].split(' ')).toEqual([
      'report-status',
      'report-status-v2',
      'delete-refs',
      'side-band-64k',
      'quiet',
      'atomic',
      'ofs-delta',
      'push-options',
      'object-format=sha1',
      'agent=test/1',
    ]);
    expect(await lines(await advertiseRefs('git-upload-pack', repo, { version: 2 }))).toEqual([
      'version 2',
      'agent=test/1',
      'ls-refs=unborn',
      'fetch=shallow wait-for-done filter',
      'server-option',
      'object-format=sha1',
      '0000',
    ]);
  });

  it('lists HEAD first with symref, refs in order and peeled tags (v1 with its version line)', async () => {
    const repo = await loadedRepo();
    const adv = await lines(await advertiseRefs('git-upload-pack', repo, { version: 1 }));
    expect(adv.slice(0, 3)).toEqual(['# service=git-upload-pack', '0000', 'version 1']);
    const [first, caps] = adv[3].split('\0');
    expect(first).toBe(`${rev('main')} HEAD`);
    expect(caps).toContain('symref=HEAD:refs/heads/main');
    const expected = git(src, ['show-ref', '--dereference']).trim().split('\n');
    expect(adv.slice(4, -1)).toEqual(expected);
    expect(adv.at(-1)).toBe('0000');
  });
});

describe('uploadPack v2', () => {
  it('ls-refs with symrefs, peel, prefixes and unborn', async () => {
    const repo = await loadedRepo();
    const req = concatBytes([
      encodePkt('command=ls-refs\n'),
      encodePkt('agent=git/2\n'),
      delimPkt(),
      encodePkt('peel\n'),
      encodePkt('symrefs\n'),
      encodePkt('ref-prefix HEAD\n'),
      encodePkt('ref-prefix refs/tags/v\n'),
      flushPkt(),
    ]);
    const out = await lines(await bytesOf(uploadPack(once(req), repo, { version: 2 })));
    expect(out[0]).toBe(`${rev('main')} HEAD symref-target:refs/heads/main`);
    expect(out.slice(1, -1)).toEqual([`${rev('v60')} refs/tags/v60 peeled:${rev('v60^{}')}`]);

    const empty = new MemoryRepository();
    const unborn = concatBytes([
      encodePkt('command=ls-refs\n'),
      delimPkt(),
      encodePkt('symrefs\n'),
      encodePkt('unborn\n'),
      flushPkt(),
    ]);
    expect(await lines(await bytesOf(uploadPack(once(unborn), empty, { version: 2 })))).toEqual([
      'unborn HEAD symref-target:refs/heads/main',
      '0000',
    ]);
  });

  it('refuses wants no ref reaches, accepts reachable commits and objects', async () => {
    const repo = await loadedRepo();
    // Store a commit and a blob, then delete the only ref that reached them.
    const secret = git(src, ['hash-object', '-w', '--stdin'], 'secret\n').trim();
    const tree = git(src, ['mktree'], `100644 blob ${secret}\tsecret.txt\n`).trim();
    const orphan = git(src, ['commit-tree', tree, '-p', rev('main'), '-m', 'orphan'], '').trim();
    const pack = gitBytes(src, ['pack-objects', '--stdout'], `${orphan}\n${tree}\n${secret}\n`);
    const push = pushRequest([`${ZERO_OID} ${orphan} refs/heads/tmp`], 'report-status', pack);
    expect((await lines(await bytesOf(receivePack(once(push), repo))))[1]).toBe('ok refs/heads/tmp');
    const del = pushRequest([`${orphan} ${ZERO_OID} refs/heads/tmp`], 'report-status', null);
    expect((await lines(await bytesOf(receivePack(once(del), repo))))[1]).toBe('ok refs/heads/tmp');
    expect(await repo.odb.has(secret)).toBe(true);

    const fetch = (want: string) =>
      concatBytes([
        encodePkt('command=fetch\n'),
        delimPkt(),
        encodePkt(`want ${want}\n`),
        encodePkt('no-progress\n'),
        encodePkt('done\n'),
        flushPkt(),
      ]);
    for (const hidden of [orphan, tree, secret, 'f'.repeat(40)]) {
      const refused = await lines(await bytesOf(uploadPack(once(fetch(hidden)), repo, { version: 2 })));
      expect(refused).toEqual([`ERR upload-pack: not our ref ${hidden}`]);
    }
    for (const reachable of [rev('main~3'), rev('main~3^{tree}'), rev('main~40:README.md')]) {
      const ok = await lines(await bytesOf(uploadPack(once(fetch(reachable)), repo, { version: 2 })));
      expect(ok[0]).toBe('packfile');
      expect(ok.at(-1)).toBe('0000');
    }
  });

  it('acknowledges common haves and says ready', async () => {
    const repo = await loadedRepo();
    const req = concatBytes([
      encodePkt('command=fetch\n'),
      delimPkt(),
      encodePkt(`want ${rev('main')}\n`),
      encodePkt(`have ${'e'.repeat(40)}\n`),
      encodePkt(`have ${rev('main~2')}\n`),
      flushPkt(),
    ]);
    const out = await lines(await bytesOf(uploadPack(once(req), repo, { version: 2 })));
    expect(out.slice(0, 5)).toEqual(['acknowledgments', `ACK ${rev('main~2')}`, 'ready', '0001', 'packfile']);
    const none = concatBytes([
      encodePkt('command=fetch\n'),
      delimPkt(),
      encodePkt(`want ${rev('main')}\n`),
      encodePkt(`have ${'e'.repeat(40)}\n`),
      flushPkt(),
    ]);
    expect(await lines(await bytesOf(uploadPack(once(none), repo, { version: 2 })))).toEqual([
      'acknowledgments',
      'NAK',
      '0000',
    ]);
  });
});

describe('receivePack', () => {
  it('reports a corrupt pack as an unpack error and rejects every ref', async () => {
    const repo = await loadedRepo();
    const before = await repo.refs.list();
    const pack = gitBytes(src, ['pack-objects', '--revs', '--stdout'], `${rev('main')}\n^${rev('main~3')}\n`);
    pack[pack.length - 30] ^= 0xff;
    // A new ref, so that the command itself would be fine.
    const cmd = pushRequest([`${ZERO_OID} ${rev('main')} refs/heads/x`], 'report-status side-band-64k', pack);
    const rep = await report(await bytesOf(receivePack(once(cmd), repo)));
    expect(rep[0]).toMatch(/^unpack /);
    expect(rep[0]).not.toBe('unpack ok');
    expect(rep[1]).toBe('ng refs/heads/x unpacker error');
    expect(await repo.refs.list()).toEqual(before);
  });

  it('refuses a branch set to a tree or a tag, as C git does; a tag ref to a tree and a branch to a commit apply', async () => {
    const repo = await loadedRepo();
    const tree = rev('main^{tree}');
    const tag = git(
      src,
      ['mktag'],
      `object ${rev('main')}\ntype commit\ntag v-nc\ntagger T <t@example.com> 0 +0000\n\nnc\n`,
    ).trim();
    const pack = gitBytes(src, ['pack-objects', '--stdout'], `${tag}\n`);
    const body = pushRequest(
      [
        `${ZERO_OID} ${tree} refs/heads/tree`,
        `${ZERO_OID} ${tag} refs/heads/tagged`,
        `${ZERO_OID} ${tree} refs/tags/tree`,
        `${ZERO_OID} ${rev('main~1')} refs/heads/ok`,
      ],
      'report-status side-band-64k',
      pack,
    );
    const rep = await report(await bytesOf(receivePack(once(body), repo)));
    expect(rep).toEqual([
      'unpack ok',
      `ng refs/heads/tree trying to write non-commit object ${tree} to branch 'refs/heads/tree'`,
      `ng refs/heads/tagged trying to write non-commit object ${tag} to branch 'refs/heads/tagged'`,
      'ok refs/tags/tree',
      'ok refs/heads/ok',
    ]);
    const names = (await repo.refs.list()).map((r) => r.name);
    expect(names).toContain('refs/heads/ok');
    expect(names).not.toContain('refs/heads/tree');
    expect(names).not.toContain('refs/heads/tagged');
  });

  it('rejects refs whose objects are missing and refs with bad names; applies the rest', async () => {
    const repo = new MemoryRepository();
    // Only the commit objects: trees and blobs are missing.
    const commits = git(src, ['rev-list', 'main~2']).trim().split('\n');
    const pack = gitBytes(src, ['pack-objects', '--stdout'], `${commits.join('\n')}\n`);
    const body = pushRequest(
      [`${ZERO_OID} ${rev('main~2')} refs/heads/broken`, `${ZERO_OID} ${rev('main~2')} refs/heads/a..b`],
      'report-status-v2 side-band-64k',
      pack,
    );
    const rep = await report(await bytesOf(receivePack(once(body), repo)));
    expect(rep).toEqual([
      'unpack ok',
      'ng refs/heads/broken missing necessary objects',
      'ng refs/heads/a..b funny refname',
    ]);
    expect(await repo.refs.list()).toEqual([]);
    expect(repo.packs.objectCount).toBe(0);
  });

  it('keeps packets within 1000 bytes on old side-band (65520 on side-band-64k)', async () => {
    const names = Array.from({ length: 40 }, (_, i) => `refs/heads/${'long-branch-name-'.repeat(3)}${i}`);
    const empty = gitBytes(src, ['pack-objects', '--stdout'], '');
    const sizes = async (caps: string) => {
      const repo = await loadedRepo();
      const body = pushRequest(
        names.map((n) => `${ZERO_OID} ${rev('main')} ${n}`),
        caps,
        empty,
      );
      const out = await bytesOf(receivePack(once(body), repo));
      expect(await report(out)).toEqual(['unpack ok', ...names.map((n) => `ok ${n}`)]);
      const lengths: number[] = [];
      for (let pos = 0; pos < out.length; ) {
        const len = Number.parseInt(new TextDecoder().decode(out.subarray(pos, pos + 4)), 16);
        lengths.push(len);
        pos += Math.max(len, 4);
      }
      return lengths;
    };
    // The report is longer than one old side-band packet holds: it must be cut.
    expect(Math.max(...(await sizes('report-status side-band-64k')))).toBeGreaterThan(1000);
    const old = await sizes('report-status side-band');
    expect(old.filter((l) => l > 4).length).toBeGreaterThan(2);
    expect(Math.max(...old)).toBeLessThanOrEqual(1000);
  });

  it('deletes without a pack, records peeled tags, answers without side-band', async () => {
    const repo = await loadedRepo();
    const tags = await repo.refs.list(['refs/tags/v']);
    expect(tags.map((t) => t.peeled)).toEqual([rev('v60^{}')]);
    const body = pushRequest(
      [`${rev('topic-1')} ${ZERO_OID} refs/heads/topic-1`],
      'report-status delete-refs',
      null,
    );
    const out = await lines(await bytesOf(receivePack(once(body), repo)));
    expect(out).toEqual(['unpack ok', 'ok refs/heads/topic-1', '0000']);
    expect((await repo.refs.list()).map((r) => r.name)).not.toContain('refs/heads/topic-1');
  });
});

describe('a fetch refused for room (admission)', () => {
  const busy = 'the repository is busy (waited too long to start: walk); try again later';
  /** The loaded repository whose heavy work is refused as busy (or admitted, for the control). */
  async function admitting(refuse: boolean): Promise<GitRepository> {
    const repo = await loadedRepo();
    const admit = async () => {
      if (refuse) throw new GitError('BUSY', busy);
      return () => undefined;
    };
    return { odb: repo.odb, refs: repo.refs, newPack: () => repo.newPack(), agent: repo.agent, admit };
  }
  const v0Fetch = (caps: string) =>
    concatBytes([
      encodePkt(`want ${rev('main')} ${caps}\n`),
      flushPkt(),
      encodePkt(`have ${rev('main~2')}\n`),
      encodePkt('done\n'),
    ]);

  it("v0 with side-band: on band 3 where the pack would start (git prints it as the remote's), not an ERR packet", async () => {
    const refused = await lines(
      await bytesOf(uploadPack(once(v0Fetch('side-band-64k')), await admitting(true), { version: 0 })),
    );
    // A common have and `done` without multi_ack: nothing precedes the pack but the refusal.
    expect(refused).toEqual([`\x03${busy}`]);
    // Positive control: admitted, the same request is answered with the pack on band 1.
    const sent = await lines(
      await bytesOf(uploadPack(once(v0Fetch('side-band-64k')), await admitting(false), { version: 0 })),
    );
    expect(sent.some((l) => l.startsWith('\x01PACK'))).toBe(true);
    expect(sent.some((l) => l.includes(busy))).toBe(false);
  });

  it('v0 without side-band and v2 (before its packfile section): an ERR packet', async () => {
    const plain = await lines(
      await bytesOf(uploadPack(once(v0Fetch('ofs-delta')), await admitting(true), { version: 0 })),
    );
    expect(plain).toEqual([`ERR ${busy}`]);
    const v2 = concatBytes([
      encodePkt('command=fetch\n'),
      delimPkt(),
      encodePkt(`want ${rev('main')}\n`),
      encodePkt(`have ${rev('main~2')}\n`),
      encodePkt('done\n'),
      flushPkt(),
    ]);
    const out = await lines(await bytesOf(uploadPack(once(v2), await admitting(true), { version: 2 })));
    expect(out).toEqual([`ERR ${busy}`]);
  });
});
