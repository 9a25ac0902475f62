import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, gitBytes, makeRepo, makeTempDir, removeDir } from '../../../test/helpers/git';
import { idHexAt } from '../oid';
import { hashObject } from '../sha1';
import type { ObjectType } from '../store';
import { parseCommit, parseCommitLinks, serializeCommit } from './commit';
import { parseTag, serializeTag } from './tag';
import { entryKind, parseTree, serializeTree, TreeCursor } from './tree';

interface RawObject {
  oid: string;
  type: ObjectType;
  data: Uint8Array;
}

/** Every object of a repository, via `git cat-file --batch-all-objects --batch`. */
function allObjects(dir: string): RawObject[] {
  const out = gitBytes(dir, ['cat-file', '--batch-all-objects', '--batch']);
  const objects: RawObject[] = [];
  const dec = new TextDecoder();
  let pos = 0;
  while (pos < out.length) {
    const nl = out.indexOf(0x0a, pos);
    const [oid, type, size] = dec.decode(out.subarray(pos, nl)).split(' ');
    const start = nl + 1;
    objects.push({ oid, type: type as ObjectType, data: out.subarray(start, start + Number(size)) });
    pos = start + Number(size) + 1;
  }
  return objects;
}

function roundTrip(o: RawObject): Uint8Array | null {
  if (o.type === 'commit') return serializeCommit(parseCommit(o.data));
  if (o.type === 'tree') return serializeTree(parseTree(o.data));
  if (o.type === 'tag') return serializeTag(parseTag(o.data));
  return null;
}

let repo: string;
let odd: string;
const enc = new TextEncoder();

beforeAll(() => {
  repo = makeRepo(120);
  odd = makeTempDir();
  git(odd, ['init', '-q']);
});
afterAll(() => {
  removeDir(repo);
  removeDir(odd);
});

describe('object parse + serialize', () => {
  it('round-trips every commit, tree and tag of a fixture repository byte for byte', () => {
    const objects = allObjects(repo);
    const counts = { commit: 0, tree: 0, tag: 0, blob: 0 };
    for (const o of objects) {
      counts[o.type]++;
      const again = roundTrip(o);
      if (again === null) continue;
      expect(hashObject(o.type, again)).toBe(o.oid);
    }
    expect(counts.commit).toBeGreaterThan(120);
    expect(counts.tree).toBeGreaterThan(120);
    expect(counts.tag).toBeGreaterThanOrEqual(2);
  });

  it('reads identities receive accepts with a warning, and writes them back byte for byte', () => {
    const tree = '4b825dc642cb6eb9a060e54bf8d69288fbe4b904';
    for (const [author, timestamp, timezone] of [
      ['A <a@example.com>1700000000 +0200', 1700000000, '+0200'],
      ['A <a@example.com> 1700000000 +02', 1700000000, '+02'],
      ['A <a@example.com> 1700000000 0100', 1700000000, '0100'],
    ] as const) {
      const bytes = enc.encode(`tree ${tree}\nauthor ${author}\ncommitter ${author}\n\nm\n`);
      const commit = parseCommit(bytes);
      expect(commit.author).toMatchObject({ name: 'A', email: 'a@example.com', timestamp, timezone });
      expect(serializeCommit(commit)).toEqual(bytes);
    }
  });

  it('keeps multi-line headers (gpgsig, mergetag), odd timezones and Latin-1 names exactly', () => {
    const tree = git(odd, ['mktree'], '').trim();
    const parent = git(odd, ['commit-tree', tree, '-m', 'root'], '').trim();
    const raw = [
      `tree ${tree}`,
      `parent ${parent}`,
      'author A U Thor <a@example.com> 1700000000 +0530',
      'committer C O Mitter <c@example.com> 1700000001 -0000',
      'encoding ISO-8859-1',
      'mergetag object 1111111111111111111111111111111111111111',
      ' type commit',
      ' tag v1',
      ' ',
      ' signed tag message',
      'gpgsig -----BEGIN PGP SIGNATURE-----',
      ' ',
      ' iQEzBAABCAAdFiEE0000000000000000000000000000000000000000',
      ' =abcd',
      ' -----END PGP SIGNATURE-----',
      '',
      'subject line',
      '',
      'body with trailing spaces   ',
      '',
    ].join('\n');
    const bytes = enc.encode(raw);
    const oid = git(odd, ['hash-object', '-t', 'commit', '-w', '--literally', '--stdin'], bytes).trim();
    const commit = parseCommit(bytes);
    expect(commit.parents).toEqual([parent]);
    expect(commit.author.timezone).toBe('+0530');
    expect(commit.committer.timezone).toBe('-0000');
    expect(commit.extraHeaders.map((h) => h.key)).toEqual(['encoding', 'mergetag', 'gpgsig']);
    expect(new TextDecoder().decode(commit.extraHeaders[2].value)).toContain('\n\niQEz');
    expect(hashObject('commit', serializeCommit(commit))).toBe(oid);

    // A Latin-1 author name (not UTF-8) and no message separator at all.
    const latin = new Uint8Array([
      ...enc.encode(`tree ${tree}\nauthor J`),
      0xf6,
      ...enc.encode('rg <j@example.com> 1 +0000\ncommitter J <j@example.com> 1 +0000\n'),
    ]);
    const c2 = parseCommit(latin);
    expect(c2.author.latin1).toBe(true);
    expect(c2.message).toBeNull();
    expect(serializeCommit(c2)).toEqual(latin);
  });

  it('parses tree entries, kinds and tags', () => {
    const blob = git(odd, ['hash-object', '-w', '--stdin'], 'x\n').trim();
    const sub = git(odd, ['mktree'], `100644 blob ${blob}\tinner\n`).trim();
    const tree = git(
      odd,
      ['mktree'],
      `100755 blob ${blob}\trun.sh\n040000 tree ${sub}\tdir\n120000 blob ${blob}\tlink\n`,
    ).trim();
    const data = gitBytes(odd, ['cat-file', 'tree', tree]);
    const entries = parseTree(data);
    expect(entries.map((e) => [e.mode, new TextDecoder().decode(e.name), e.oid])).toEqual([
      ['40000', 'dir', sub],
      ['120000', 'link', blob],
      ['100755', 'run.sh', blob],
    ]);
    expect(entries.map((e) => entryKind(e.mode))).toEqual(['tree', 'blob', 'blob']);
    expect(serializeTree(entries)).toEqual(data);

    const commit = git(odd, ['commit-tree', tree, '-m', 'c'], '').trim();
    git(odd, ['tag', '-a', '-m', 'annotated\n\nwith body', 'v1', commit]);
    const tagOid = git(odd, ['rev-parse', 'v1']).trim();
    const tagData = gitBytes(odd, ['cat-file', 'tag', tagOid]);
    const tag = parseTag(tagData);
    expect([tag.object, tag.type, tag.tag]).toEqual([commit, 'commit', 'v1']);
    expect(tag.tagger?.email).toBe('committer@example.com');
    expect(serializeTag(tag)).toEqual(tagData);
    const links = parseCommitLinks(gitBytes(odd, ['cat-file', 'commit', commit]));
    expect(links).toEqual({ tree, parents: [], time: 1700000000 });
  });

  it('reads tree entries in place as parseTree does: kinds, names, ids, and the same errors', () => {
    const cursorEntries = (data: Uint8Array) => {
      const out: [string, string, string][] = [];
      for (const e = new TreeCursor(data); e.next(); ) {
        out.push([
          e.kind,
          new TextDecoder().decode(e.data.subarray(e.nameStart, e.nameEnd)),
          idHexAt(e.data, e.oidAt),
        ]);
      }
      return out;
    };
    const trees = allObjects(repo).filter((o) => o.type === 'tree');
    for (const t of trees) {
      const parsed = parseTree(t.data).map((e) => [
        entryKind(e.mode),
        new TextDecoder().decode(e.name),
        e.oid,
      ]);
      expect(cursorEntries(t.data)).toEqual(parsed);
    }
    const oid = new Uint8Array(20).fill(0xab);
    const entry = (mode: string) => new Uint8Array([...enc.encode(`${mode} n\0`), ...oid]);
    const kinds = ['40000', '040000', '160000', '100644', '120000', '4000', '400000', '0160000'].map(
      (m) => cursorEntries(entry(m))[0][0],
    );
    expect(kinds).toEqual(['tree', 'tree', 'commit', 'blob', 'blob', 'blob', 'blob', 'blob']);
    expect(kinds).toEqual(
      ['40000', '040000', '160000', '100644', '120000', '4000', '400000', '0160000'].map(entryKind),
    );
    for (const bad of [entry('10a644'), entry(''), new Uint8Array([0x31, 0x30, 0x30, 0x20, 0x61, 0, 1, 2])]) {
      expect(() => cursorEntries(bad)).toThrow(expect.objectContaining({ code: 'INVALID_OBJECT' }));
      expect(() => parseTree(bad)).toThrow(expect.objectContaining({ code: 'INVALID_OBJECT' }));
    }
  });

  it('rejects malformed objects with INVALID_OBJECT', () => {
    expect(() => parseCommit(enc.encode('parent x\n\nmsg'))).toThrow(
      expect.objectContaining({ code: 'INVALID_OBJECT' }),
    );
    expect(() => parseTree(new Uint8Array([0x31, 0x30, 0x30, 0x20, 0x61, 0, 1, 2]))).toThrow(
      expect.objectContaining({ code: 'INVALID_OBJECT' }),
    );
    expect(() => parseTag(enc.encode('object 123\n'))).toThrow(
      expect.objectContaining({ code: 'INVALID_OBJECT' }),
    );
  });
});
