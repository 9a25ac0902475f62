/** v2/v0 fetch features driven with hand-made requests: want-ref, wait-for-done, ready, deepen-*. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, gitBytes, gitTry, makeRepo, removeDir } from '../../../test/helpers/git';
import { concatBytes } from '../bytes';
import { MemoryRepository } from '../memory/repo';
import { delimPkt, encodePkt, flushPkt, PktLineReader, pktText } from '../pktline';
import { ZERO_OID } from '../store';
import { parseFilter } from '../walk/filter';
import { receivePack } from './receive-pack';
import { uploadPack } from './upload-pack';

let src: string;
let repo: MemoryRepository;

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

async function bytesOf(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Response packets as text up to the pack (side-band data is cut off). */
async function lines(bytes: Uint8Array): Promise<string[]> {
  const r = new PktLineReader(once(bytes));
  const out: string[] = [];
  for (;;) {
    const p = await r.read();
    if (p.type === 'eof') return out;
    if (p.type === 'data') {
      if (p.data[0] === 1 || p.data[0] === 2) return out; // pack or progress: enough
      out.push(pktText(p.data));
    } else out.push(p.type === 'flush' ? '0000' : p.type === 'delim' ? '0001' : '0002');
  }
}

const rev = (r: string) => git(src, ['rev-parse', r]).trim();

function v2(args: string[]): Uint8Array {
  return concatBytes([
    encodePkt('command=fetch\n'),
    delimPkt(),
    ...args.map((a) => encodePkt(`${a}\n`)),
    flushPkt(),
  ]);
}

const fetchV2 = async (args: string[]) =>
  lines(await bytesOf(uploadPack(once(v2(args)), repo, { version: 2 })));

beforeAll(async () => {
  src = makeRepo(60);
  repo = new MemoryRepository({ agent: 'test/1' });
  const refs = git(src, ['for-each-ref', '--format=%(objectname) %(refname)']).trim().split('\n');
  const pack = gitBytes(src, ['pack-objects', '--revs', '--all', '--stdout'], '');
  const cmds = refs.map((r, i) =>
    encodePkt(i === 0 ? `${ZERO_OID} ${r}\0report-status\n` : `${ZERO_OID} ${r}\n`),
  );
  await bytesOf(receivePack(once(concatBytes([...cmds, flushPkt(), pack])), repo));
}, 60_000);
afterAll(() => removeDir(src));

describe('v2 fetch', () => {
  it('want-ref answers with wanted-refs before the pack', async () => {
    const out = await fetchV2(['want-ref refs/heads/main', 'done']);
    expect(out.slice(0, 4)).toEqual(['wanted-refs', `${rev('main')} refs/heads/main`, '0001', 'packfile']);
  });

  it('wait-for-done holds the pack back until done', async () => {
    const out = await fetchV2([`want ${rev('main')}`, `have ${rev('main~3')}`, 'wait-for-done']);
    expect(out).toEqual(['acknowledgments', `ACK ${rev('main~3')}`, '0000']);
  });

  it('is ready only when every want reaches a common commit', async () => {
    // main~1 is not in topic-1's history: a have of it alone does not cover that want.
    const newer = rev('main~1');
    expect(gitTry(src, ['merge-base', '--is-ancestor', newer, 'topic-1']).code).not.toBe(0);
    const notReady = await fetchV2([`want ${rev('main')}`, `want ${rev('topic-1')}`, `have ${newer}`]);
    expect(notReady).toEqual(['acknowledgments', `ACK ${newer}`, '0000']);
    const base = git(src, ['merge-base', 'main', 'topic-1']).trim();
    const ready = await fetchV2([`want ${rev('main')}`, `want ${rev('topic-1')}`, `have ${base}`]);
    expect(ready.slice(0, 3)).toEqual(['acknowledgments', `ACK ${base}`, 'ready']);
  });

  it('deepen-not and deepen-since give shallow-info; bad combinations are refused', async () => {
    const out = await fetchV2([`want ${rev('main')}`, 'deepen-not light-40', 'done']);
    expect(out[0]).toBe('shallow-info');
    expect(out.filter((l) => l.startsWith('shallow ')).length).toBeGreaterThan(0);
    const t = git(src, ['log', '-1', '--format=%ct', 'main~5']).trim();
    const since = await fetchV2([`want ${rev('main')}`, `deepen-since ${t}`, 'done']);
    expect(since[0]).toBe('shallow-info');
    const both = await fetchV2([`want ${rev('main')}`, 'deepen 2', `deepen-since ${t}`, 'done']);
    expect(both[0]).toMatch(/^ERR deepen and deepen-since/);
    const future = await fetchV2([`want ${rev('main')}`, 'deepen-since 4000000000', 'done']);
    expect(future[0]).toMatch(/^ERR no commits selected/);
    const missing = await fetchV2([`want ${rev('main')}`, 'deepen-not nope', 'done']);
    expect(missing[0]).toMatch(/^ERR .*deepen-not is not a ref/);
  });

  it('want-ref of a missing ref is an error', async () => {
    expect((await fetchV2(['want-ref refs/heads/nope', 'done']))[0]).toMatch(/^ERR unknown ref/);
  });
});

describe('filters', () => {
  it('parses combine: with encoded sub-filters and refuses nesting', () => {
    expect(parseFilter('combine:blob%3Anone+tree%3A2')).toEqual({
      kind: 'combine',
      filters: [{ kind: 'blob:none' }, { kind: 'tree:depth', depth: 2 }],
    });
    expect(() => parseFilter('combine:combine%3Ablob%3Anone+tree%3A1')).toThrow(
      expect.objectContaining({ code: 'FILTER_UNSUPPORTED' }),
    );
  });
});
