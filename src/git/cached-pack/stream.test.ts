/**
 * Clones answered from copies of the stored packs: which requests are plain clones, the pack made
 * of several stored packs (new header, their entries, a trailer over what was sent) as C git reads
 * it, and the protocol v2 framing (packfile section, side bands, closing flush).
 */
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { chunked, git, gitBytes, makeTempDir, TempDirs } from '../../../test/helpers/git';
import { concatBytes } from '../bytes';
import { encodePkt, flushPkt, PktLineReader, pktText } from '../pktline';
import { createSha1 } from '../sha1';
import { cachedPackBytes, cloneAnswerV2, plainCloneRequest, type StoredPackSource } from './stream';

const dirs = new TempDirs();
afterAll(() => dirs.removeAll());

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

function request(lines: (string | 'delim' | 'flush')[]): AsyncGenerator<Uint8Array> {
  const parts = lines.map((l) =>
    l === 'flush' ? flushPkt() : l === 'delim' ? new Uint8Array([48, 48, 48, 49]) : encodePkt(`${l}\n`),
  );
  return chunked(concatBytes(parts), 7);
}

const CLONE = ['command=fetch', 'agent=git/2.39', 'object-format=sha1', 'delim', 'thin-pack', 'ofs-delta'];

describe('plainCloneRequest', () => {
  it('takes the wants of a whole clone', async () => {
    const req = await plainCloneRequest(request([...CLONE, `want ${A}`, `want ${B}`, 'done', 'flush']));
    expect(req).toEqual({ wants: [A, B], noProgress: false });
    const quiet = await plainCloneRequest(
      request([...CLONE, 'no-progress', 'include-tag', `want ${A}`, 'done', 'flush']),
    );
    expect(quiet).toEqual({ wants: [A], noProgress: true });
  });

  it.each([
    ['a have', [`have ${B}`, 'done']],
    ['no done (negotiation)', []],
    ['a shallow line', [`shallow ${B}`, 'done']],
    ['a depth', ['deepen 1', 'done']],
    ['a filter', ['filter blob:none', 'done']],
    ['a want-ref', ['want-ref refs/heads/main', 'done']],
    ['sideband-all', ['sideband-all', 'done']],
    ['a malformed want', ['want nope', 'done']],
  ])('leaves a fetch with %s to the object', async (_, extra) => {
    expect(await plainCloneRequest(request([...CLONE, `want ${A}`, ...extra, 'flush']))).toBeNull();
  });

  it('leaves other commands, other object formats and no ofs-delta to the object', async () => {
    const want = [`want ${A}`, 'done', 'flush'];
    expect(await plainCloneRequest(request(['command=ls-refs', 'delim', 'symrefs', 'flush']))).toBeNull();
    const sha256 = ['command=fetch', 'object-format=sha256', 'delim', 'ofs-delta', ...want];
    expect(await plainCloneRequest(request(sha256))).toBeNull();
    expect(await plainCloneRequest(request(['command=fetch', 'delim', ...want]))).toBeNull();
    expect(await plainCloneRequest(request(['command=fetch', 'delim', 'ofs-delta', ...want]))).not.toBeNull();
  });
});

/** Two packs as consecutive pushes leave them: the first commit's objects, then what the second adds. */
function twoPacks(): { repo: string; packs: Uint8Array[]; counts: number[] } {
  const repo = dirs.keep(makeTempDir());
  git(repo, ['init', '-q', '-b', 'main']);
  const packs: Uint8Array[] = [];
  const counts: number[] = [];
  let before = '';
  for (let i = 0; i < 2; i++) {
    git(repo, ['commit', '-q', '--allow-empty', '-m', `commit ${i}`]);
    git(repo, ['-c', 'core.bigFileThreshold=1', 'commit', '-q', '--allow-empty', '-m', `more ${i}`]);
    const head = git(repo, ['rev-parse', 'HEAD']).trim();
    const objects = git(repo, ['rev-list', '--objects', head, ...(before ? [`^${before}`] : [])]);
    counts.push(objects.trim().split('\n').length);
    packs.push(
      gitBytes(
        repo,
        ['pack-objects', '--stdout', '--revs', '-q'],
        `${head}\n${before ? `^${before}\n` : ''}`,
      ),
    );
    before = head;
  }
  return { repo, packs, counts };
}

function sources(packs: Uint8Array[], counts: number[]): StoredPackSource[] {
  return packs.map((bytes, i) => ({
    size: bytes.length,
    objectCount: counts[i],
    bytes: (from, to) => chunked(bytes.subarray(from, to), 1000),
  }));
}

async function all(it: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const out: Uint8Array[] = [];
  for await (const c of it) out.push(c);
  return concatBytes(out);
}

describe('cachedPackBytes', () => {
  it('sends one stored pack as its file', async () => {
    const { packs, counts } = twoPacks();
    expect(await all(cachedPackBytes(sources(packs.slice(0, 1), counts), createSha1))).toEqual(packs[0]);
  });

  it('joins stored packs under one header and a trailer over what was sent, which C git indexes', async () => {
    const { repo, packs, counts } = twoPacks();
    const joined = await all(cachedPackBytes(sources(packs, counts), createSha1));
    expect(joined.length).toBe(packs[0].length + packs[1].length - 32);
    expect(new DataView(joined.buffer, joined.byteOffset).getUint32(8)).toBe(counts[0] + counts[1]);
    const body = joined.subarray(0, joined.length - 20);
    expect(Buffer.from(joined.subarray(-20))).toEqual(createHash('sha1').update(body).digest());
    const fresh = dirs.keep(makeTempDir());
    git(fresh, ['init', '-q', '--bare']);
    git(fresh, ['index-pack', '--strict', '--stdin', '-v'], joined);
    const head = git(repo, ['rev-parse', 'HEAD']).trim();
    git(fresh, ['update-ref', 'refs/heads/main', head]);
    expect(git(fresh, ['fsck', '--strict', '--no-dangling'])).toBe('');
    expect(git(fresh, ['rev-list', '--count', 'main']).trim()).toBe('4');
  });
});

describe('cloneAnswerV2', () => {
  async function bands(
    answer: AsyncIterable<Uint8Array>,
  ): Promise<{ lines: string[]; pack: Uint8Array; progress: string; flushed: boolean }> {
    const reader = new PktLineReader(chunked(await all(answer), 333));
    const first = await reader.read();
    const lines = first.type === 'data' ? [pktText(first.data)] : [];
    const pack: Uint8Array[] = [];
    let progress = '';
    for (;;) {
      const p = await reader.read();
      if (p.type !== 'data') return { lines, pack: concatBytes(pack), progress, flushed: p.type === 'flush' };
      if (p.data[0] === 1) pack.push(p.data.subarray(1));
      else if (p.data[0] === 2) progress += new TextDecoder().decode(p.data.subarray(1));
      else throw new Error(`band ${p.data[0]}`);
    }
  }

  it('writes the packfile section: the pack on band 1, the object progress on band 2, a flush', async () => {
    const { packs, counts } = twoPacks();
    const n = counts[0] + counts[1];
    const got = await bands(cloneAnswerV2(sources(packs, counts), { noProgress: false }, createSha1));
    expect(got.lines).toEqual(['packfile']);
    expect(got.pack).toEqual(await all(cachedPackBytes(sources(packs, counts), createSha1)));
    expect(got.progress).toBe(
      `Enumerating objects: ${n}, done.\nCounting objects: 100% (${n}/${n}), done.\n` +
        `Total ${n} (delta 0), reused 0 (delta 0), pack-reused ${n}\n`,
    );
    expect(got.flushed).toBe(true);
    const quiet = await bands(cloneAnswerV2(sources(packs, counts), { noProgress: true }, createSha1));
    expect(quiet.progress).toBe('');
    expect(quiet.pack).toEqual(got.pack);
  });

  it('aborts on band 3 when a stored pack cannot be read, with no closing flush', async () => {
    const { packs, counts } = twoPacks();
    const broken = sources(packs, counts);
    broken[1] = {
      ...broken[1],
      // biome-ignore lint/correctness/useYield: fails before its first chunk
      async *bytes() {
        throw new Error('the stored pack is gone');
      },
    };
    const out = await all(cloneAnswerV2(broken, { noProgress: true }, createSha1));
    const text = new TextDecoder().decode(out);
    expect(text).toContain('\x03upload-pack: the stored pack is gone\n');
    expect(text.endsWith('0000')).toBe(false);
  });
});
