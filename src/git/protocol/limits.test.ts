/** The request caps of protocol/limits.ts, each refused the git way, with a request just under it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, gitBytes, makeRepo, removeDir } from '../../../test/helpers/git';
import { concatBytes } from '../bytes';
import { MemoryRepository } from '../memory/repo';
import { delimPkt, encodePkt, flushPkt, PktLineReader, pktText } from '../pktline';
import { ZERO_OID } from '../store';
import { PROTOCOL_LIMITS } from './limits';
import { receivePack } from './receive-pack';
import { uploadPack } from './upload-pack';

let src: string;
let repo: MemoryRepository;
let tip: string;

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

async function answer(stream: ReadableStream<Uint8Array>): Promise<string[]> {
  const r = new PktLineReader(once(new Uint8Array(await new Response(stream).arrayBuffer())));
  const out: string[] = [];
  for (;;) {
    const p = await r.read();
    if (p.type === 'eof') return out;
    if (p.type === 'data') {
      if (p.data[0] === 1 || p.data[0] === 2) return out;
      out.push(pktText(p.data));
    } else out.push(p.type === 'flush' ? '0000' : '0001');
  }
}

const lines = (texts: readonly string[]) => texts.map((t) => encodePkt(`${t}\n`));

function v2(command: string, args: readonly string[]): Uint8Array {
  return concatBytes([encodePkt(`command=${command}\n`), delimPkt(), ...lines(args), flushPkt()]);
}

const run = (body: Uint8Array, version: 0 | 2 = 2) => answer(uploadPack(once(body), repo, { version }));
const oid = (i: number) => i.toString(16).padStart(40, '0');

beforeAll(async () => {
  src = makeRepo(5);
  tip = git(src, ['rev-parse', 'main']).trim();
  repo = new MemoryRepository({ agent: 'test/1' });
  const pack = gitBytes(src, ['pack-objects', '--revs', '--stdout'], 'main\n');
  const body = concatBytes([
    encodePkt(`${ZERO_OID} ${tip} refs/heads/main\0report-status\n`),
    flushPkt(),
    pack,
  ]);
  await answer(receivePack(once(body), repo));
}, 60_000);
afterAll(() => removeDir(src));

describe('ls-refs', () => {
  it('refuses a ref-prefix longer than a ref name may be, and answers one that long', async () => {
    const max = PROTOCOL_LIMITS.argumentBytes;
    expect(await run(v2('ls-refs', [`ref-prefix refs/${'x'.repeat(max - 5)}`]))).toEqual(['0000']);
    expect(await run(v2('ls-refs', [`ref-prefix refs/${'x'.repeat(max - 4)}`]))).toEqual([
      `ERR ref-prefix longer than ${max} bytes`,
    ]);
  });

  it('past the cap on ref-prefix lines, lists every ref (as git does), holding none of them', async () => {
    const kept = Array.from({ length: PROTOCOL_LIMITS.refPrefixes }, (_, i) => `ref-prefix refs/none-${i}`);
    expect(await run(v2('ls-refs', kept))).toEqual(['0000']);
    expect(await run(v2('ls-refs', [...kept, 'ref-prefix refs/none-x']))).toEqual([
      `${tip} HEAD`,
      `${tip} refs/heads/main`,
      '0000',
    ]);
  });
});

describe('fetch arguments', () => {
  it('counts have lines', async () => {
    const haves = (n: number) => Array.from({ length: n }, (_, i) => `have ${oid(i + 1)}`);
    const at = await run(v2('fetch', [`want ${tip}`, ...haves(PROTOCOL_LIMITS.haves)]));
    expect(at[0]).toBe('acknowledgments');
    const past = await run(v2('fetch', [`want ${tip}`, ...haves(PROTOCOL_LIMITS.haves + 1)]));
    expect(past).toEqual([`ERR too many have lines (more than ${PROTOCOL_LIMITS.haves})`]);
  });

  it('counts want and shallow lines, in v0 as in v2', async () => {
    const wants = Array.from({ length: PROTOCOL_LIMITS.wants + 1 }, () => `want ${tip}`);
    expect(await run(v2('fetch', wants))).toEqual([
      `ERR too many want lines (more than ${PROTOCOL_LIMITS.wants})`,
    ]);
    const shallows = Array.from({ length: PROTOCOL_LIMITS.shallows + 1 }, (_, i) => `shallow ${oid(i)}`);
    const v0 = concatBytes([...lines([`want ${tip} side-band-64k`, ...shallows]), flushPkt()]);
    expect(await run(v0, 0)).toEqual([`ERR too many shallow lines (more than ${PROTOCOL_LIMITS.shallows})`]);
  });

  it('caps deepen-not, want-ref and filter', async () => {
    const long = 'y'.repeat(PROTOCOL_LIMITS.argumentBytes + 1);
    const max = PROTOCOL_LIMITS.argumentBytes;
    expect(await run(v2('fetch', [`want ${tip}`, `deepen-not ${long}`]))).toEqual([
      `ERR deepen-not longer than ${max} bytes`,
    ]);
    expect(await run(v2('fetch', [`want ${tip}`, `filter ${long}`]))).toEqual([
      `ERR filter longer than ${max} bytes`,
    ]);
    const nots = Array.from({ length: PROTOCOL_LIMITS.deepenNots + 1 }, (_, i) => `deepen-not n${i}`);
    expect(await run(v2('fetch', [`want ${tip}`, ...nots]))).toEqual([
      `ERR too many deepen-not lines (more than ${PROTOCOL_LIMITS.deepenNots})`,
    ]);
    const refs = Array.from({ length: PROTOCOL_LIMITS.wantRefs + 1 }, () => 'want-ref refs/heads/main');
    expect(await run(v2('fetch', refs))).toEqual([
      `ERR too many want-ref lines (more than ${PROTOCOL_LIMITS.wantRefs})`,
    ]);
  });
});

describe('the size of a request', () => {
  it('counts packets, flushes included (v0 negotiation)', async () => {
    const flushes = Array.from({ length: PROTOCOL_LIMITS.requestPackets }, () => flushPkt());
    const body = concatBytes([...lines([`want ${tip} side-band-64k`]), ...flushes]);
    expect(await run(body, 0)).toEqual([
      `ERR too many pkt-lines in one request (more than ${PROTOCOL_LIMITS.requestPackets})`,
    ]);
  });

  it('counts bytes', async () => {
    // Prefixes past the kept ones are read and dropped: only the byte cap stops them.
    const n = Math.ceil(PROTOCOL_LIMITS.requestBytes / 4000);
    const prefixes = Array.from({ length: n }, (_, i) => `ref-prefix refs/${i}/${'z'.repeat(3980)}`);
    expect(await run(v2('ls-refs', prefixes))).toEqual([
      `ERR request was larger than our maximum size (${PROTOCOL_LIMITS.requestBytes} bytes)`,
    ]);
  });
});

describe('push commands', () => {
  const push = (commands: readonly string[], options: readonly string[] = []) => {
    const first = `${commands[0]}\0report-status push-options`;
    const parts = [...lines([first, ...commands.slice(1)]), flushPkt()];
    if (options.length > 0) parts.push(...lines(options), flushPkt());
    return answer(receivePack(once(concatBytes(parts)), repo));
  };

  it('refuses a ref name longer than the cap, and too many commands or options', async () => {
    const max = PROTOCOL_LIMITS.argumentBytes;
    const del = (name: string) => `${tip} ${ZERO_OID} ${name}`;
    expect(await push([del(`refs/heads/${'n'.repeat(max)}`)])).toEqual([
      `ERR ref name longer than ${max} bytes`,
    ]);
    const many = Array.from({ length: PROTOCOL_LIMITS.pushCommands + 1 }, (_, i) => del(`refs/heads/b${i}`));
    expect(await push(many)).toEqual([
      `ERR too many push command lines (more than ${PROTOCOL_LIMITS.pushCommands})`,
    ]);
    const options = Array.from({ length: PROTOCOL_LIMITS.pushOptions + 1 }, (_, i) => `o${i}`);
    expect(await push([del('refs/heads/none')], options)).toEqual([
      `ERR too many push option lines (more than ${PROTOCOL_LIMITS.pushOptions})`,
    ]);
    // Positive control: a push within the caps is read and answered.
    expect(await push([del('refs/heads/none')], ['ci.skip'])).toContain('unpack ok');
  });
});
