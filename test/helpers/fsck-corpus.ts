/**
 * A corpus of crafted objects git's `receive.fsckObjects` refuses (some of which Gitflare accepts
 * with a warning, as `receive.fsck.<id>=warn` does) and a few it accepts, each
 * ready to push as its own ref. Used against `git http-backend` and Gitflare alike.
 */
import { bytes, concat, obj, type RawObject, treeEntry } from './packs';

export interface FsckCase {
  readonly name: string;
  /** Every object the push carries (whole objects). */
  readonly objects: Array<RawObject & { oid: string }>;
  readonly ref: string;
  readonly tip: string;
}

const WHO = 'A U Thor <a@example.com> 1700000000 +0000';
const blob = obj('blob', 'hello\n');
const emptyTree = obj('tree', new Uint8Array(0));

function commitText(
  tree: string,
  opts: { author?: string; committer?: string; head?: string; body?: string } = {},
): string {
  const head =
    opts.head ?? `tree ${tree}\nauthor ${opts.author ?? WHO}\ncommitter ${opts.committer ?? WHO}\n`;
  return `${head}\n${opts.body ?? 'msg\n'}`;
}

function commitCase(name: string, data: string | Uint8Array): FsckCase {
  const c = obj('commit', data);
  return { name: `commit-${name}`, objects: [emptyTree, c], ref: `refs/heads/commit-${name}`, tip: c.oid };
}

/** A commit whose tree has the given entries; `extra` objects ride along (e.g. blobs named there). */
function treeCase(
  name: string,
  entries: Uint8Array[],
  extra: Array<RawObject & { oid: string }> = [],
): FsckCase {
  const tree = obj('tree', concat(entries));
  const c = obj('commit', commitText(tree.oid));
  return {
    name: `tree-${name}`,
    objects: [blob, ...extra, tree, c],
    ref: `refs/heads/tree-${name}`,
    tip: c.oid,
  };
}

function tagCase(name: string, text: (target: string) => string): FsckCase {
  const c = obj('commit', commitText(emptyTree.oid));
  const t = obj('tag', text(c.oid));
  return { name: `tag-${name}`, objects: [emptyTree, c, t], ref: `refs/tags/${name}`, tip: t.oid };
}

function gitmodulesCase(name: string, content: string, fileName = '.gitmodules', mode = '100644'): FsckCase {
  const m = obj('blob', content);
  return treeCase(name, [treeEntry(mode, fileName, m.oid)], [m]);
}

const b = blob.oid;
const e = emptyTree.oid;

/** Cases git rejects with receive.fsckObjects=true. */
export function rejectedCases(): FsckCase[] {
  return [
    commitCase('missing-tree', `parent ${e}\nauthor ${WHO}\ncommitter ${WHO}\n\nm\n`),
    commitCase('bad-tree-sha', `tree 1234\nauthor ${WHO}\ncommitter ${WHO}\n\nm\n`),
    commitCase('bad-parent', `tree ${e}\nparent xyz\nauthor ${WHO}\ncommitter ${WHO}\n\nm\n`),
    commitCase('missing-author', `tree ${e}\ncommitter ${WHO}\n\nm\n`),
    commitCase('two-authors', `tree ${e}\nauthor ${WHO}\nauthor ${WHO}\ncommitter ${WHO}\n\nm\n`),
    commitCase('missing-committer', `tree ${e}\nauthor ${WHO}\n\nm\n`),
    commitCase('bad-email', commitText(e, { author: 'A <a@example.com 1700000000 +0000' })),
    commitCase('no-space-before-email', commitText(e, { author: 'A<a@example.com> 1700000000 +0000' })),
    commitCase('no-name-before-email', commitText(e, { author: '<a@example.com> 1700000000 +0000' })),
    commitCase('bad-name', commitText(e, { author: 'A > <a@example.com> 1700000000 +0000' })),
    commitCase('zero-padded-date', commitText(e, { committer: 'A <a@example.com> 01700000000 +0000' })),
    commitCase('date-overflow', commitText(e, { committer: 'A <a@example.com> 99999999999999999999 +0000' })),
    commitCase('bad-date', commitText(e, { committer: 'A <a@example.com> soon +0000' })),
    commitCase(
      'nul-in-header',
      concat([
        bytes(`tree ${e}\nauthor A `),
        Uint8Array.of(0),
        bytes(` <a@b> 1 +0000\ncommitter ${WHO}\n\nm\n`),
      ]),
    ),
    commitCase('unterminated-header', `tree ${e}\nauthor ${WHO}\ncommitter ${WHO}`),
    // Accepted findings do not hide a refusing one after them.
    commitCase(
      'no-space-before-date-then-bad-email',
      commitText(e, { author: 'A <a@example.com>1700000000 +0000', committer: 'A <a@example.com 1 +0000' }),
    ),
    commitCase(
      'bad-timezone-then-bad-committer',
      commitText(e, { author: 'A <a@example.com> 1700000000 +01', committer: '<a@example.com> 1 +0000' }),
    ),
    commitCase('nul-in-body', concat([bytes(commitText(e, { body: 'a' })), Uint8Array.of(0), bytes('b\n')])),
    treeCase('dotgit', [treeEntry('100644', '.git', b)]),
    treeCase('dotgit-upper', [treeEntry('100644', '.GIT', b)]),
    treeCase('dotgit-trailing-dot', [treeEntry('100644', '.git.', b)]),
    treeCase('dotgit-trailing-space', [treeEntry('100644', '.git ', b)]),
    treeCase('dotgit-ntfs-short', [treeEntry('100644', 'git~1', b)]),
    treeCase('dotgit-ntfs-stream', [treeEntry('100644', '.git::$INDEX_ALLOCATION', b)]),
    treeCase('dotgit-hfs-zwnj', [treeEntry('100644', '.g\u200cit', b)]),
    treeCase('dotgit-hfs-bom', [treeEntry('100644', '\ufeff.gIt', b)]),
    treeCase('dotgit-dir', [treeEntry('40000', '.git', e)], [emptyTree]),
    treeCase('dot', [treeEntry('100644', '.', b)]),
    treeCase('dotdot', [treeEntry('100644', '..', b)]),
    treeCase('empty-name', [treeEntry('100644', '', b)]),
    treeCase('slash', [treeEntry('100644', 'a/b', b)]),
    treeCase('unsorted', [treeEntry('100644', 'b', b), treeEntry('100644', 'a', b)]),
    treeCase('unsorted-dir', [treeEntry('40000', 'a', e), treeEntry('100644', 'a.c', b)], [emptyTree]),
    treeCase('duplicate', [treeEntry('100644', 'a', b), treeEntry('100644', 'a', b)]),
    treeCase(
      'duplicate-file-dir',
      [treeEntry('100644', 'a', b), treeEntry('100644', 'a.c', b), treeEntry('40000', 'a', e)],
      [emptyTree],
    ),
    treeCase(
      'zero-padded-mode-and-dotgit',
      [treeEntry('100644', '.git', b), treeEntry('040000', 'd', e)],
      [emptyTree],
    ),
    treeCase(
      'zero-padded-mode-unsorted',
      [treeEntry('040000', 'd', e), treeEntry('100644', 'c', b)],
      [emptyTree],
    ),
    treeCase('mode-empty', [treeEntry('', 'f', b)]),
    treeCase('mode-not-octal', [treeEntry('10064x', 'f', b)]),
    treeCase('null-sha1', [treeEntry('100644', 'f', '0'.repeat(40))]),
    treeCase('truncated', [treeEntry('100644', 'f', b).subarray(0, 20)]),
    gitmodulesCase('gitmodules-symlink', 'whatever', '.gitmodules', '120000'),
    gitmodulesCase(
      'gitmodules-url-option',
      '[submodule "x"]\n\tpath = x\n\turl = --upload-pack=touch pwned\n',
    ),
    gitmodulesCase('gitmodules-url-quoted-option', '[submodule "x"]\n\tpath = x\n\turl = "-u./payload"\n'),
    gitmodulesCase('gitmodules-url-newline', '[submodule "x"]\n\tpath = x\n\turl = ./%0ahost=two\n'),
    gitmodulesCase('gitmodules-url-dotdot-colon', '[submodule "x"]\n\tpath = x\n\turl = ../:x\n'),
    gitmodulesCase('gitmodules-path-option', '[submodule "x"]\n\tpath = -x\n\turl = https://example.com/x\n'),
    gitmodulesCase(
      'gitmodules-name-dotdot',
      '[submodule "../../modules/evil"]\n\tpath = x\n\turl = https://example.com/x\n',
    ),
    gitmodulesCase('gitmodules-name-backslash', '[submodule "a\\\\..\\\\b"]\n\tpath = x\n'),
    gitmodulesCase('gitmodules-update-command', '[submodule "x"]\n\tpath = x\n\tupdate = !rm -rf /\n'),
    gitmodulesCase('gitmodules-uppercase', '[submodule "x"]\n\turl = -x\n', '.GITMODULES'),
    gitmodulesCase('gitmodules-ntfs-short', '[submodule "x"]\n\turl = -x\n', 'gitmod~1'),
    gitmodulesCase('gitmodules-ntfs-trailing', '[submodule "x"]\n\turl = -x\n', '.gitmodules .'),
    treeCase('gitmodules-is-tree', [treeEntry('40000', '.gitmodules', e)], [emptyTree]),
    gitmodulesCase('gitattributes-long-line', `${'a'.repeat(3000)} text\n`, '.gitattributes'),
    tagCase('missing-object', () => `type commit\ntag t\ntagger ${WHO}\n\nm\n`),
    tagCase('bad-object', () => `object 1234\ntype commit\ntag t\ntagger ${WHO}\n\nm\n`),
    tagCase('missing-type', (t) => `object ${t}\ntag t\ntagger ${WHO}\n\nm\n`),
    tagCase('bad-type', (t) => `object ${t}\ntype blub\ntag t\ntagger ${WHO}\n\nm\n`),
    tagCase('missing-tag-line', (t) => `object ${t}\ntype commit\ntagger ${WHO}\n\nm\n`),
    tagCase('unterminated', (t) => `object ${t}\ntype commit\ntag t\ntagger ${WHO}`),
  ];
}

/**
 * Cases strict fsck refuses for findings that Gitflare accepts with a warning (`RECEIVE_WARNINGS`:
 * git does the same with `receive.fsck.<id>=warn`): marks old tools left in real histories.
 */
export function warnedCases(): FsckCase[] {
  return [
    commitCase('bad-timezone-short', commitText(e, { committer: 'A <a@example.com> 1700000000 +01' })),
    commitCase('bad-timezone-letters', commitText(e, { committer: 'A <a@example.com> 1700000000 +01ab' })),
    commitCase('bad-timezone-nosign', commitText(e, { committer: 'A <a@example.com> 1700000000 0100' })),
    commitCase('no-space-before-date', commitText(e, { author: 'A <a@example.com>1700000000 +0000' })),
    commitCase(
      'no-space-before-date-and-bad-timezone',
      commitText(e, { author: 'A <a@example.com>1700000000 +0000', committer: 'A <a@example.com> 1 +01' }),
    ),
    treeCase('zero-padded-mode', [treeEntry('040000', 'd', e)], [emptyTree]),
    treeCase('zero-padded-file-mode', [treeEntry('0100644', 'f', b)]),
    tagCase('bad-tagger', (t) => `object ${t}\ntype commit\ntag t\ntagger A <a@b> 1 +1\n\nm\n`),
  ];
}

/** Odd objects git accepts even in strict mode (informational findings only). */
export function acceptedCases(): FsckCase[] {
  return [
    commitCase('plain', commitText(e)),
    commitCase(
      'gpgsig-and-encoding',
      `tree ${e}\nauthor ${WHO}\ncommitter ${WHO}\nencoding latin1\ngpgsig -----BEGIN-----\n abc\n -----END-----\n\nm\n`,
    ),
    commitCase('no-message', `tree ${e}\nauthor ${WHO}\ncommitter ${WHO}\n`),
    commitCase('double-space-date', commitText(e, { committer: 'A <a@example.com>  1700000000 +0000' })),
    treeCase(
      'ok-gitmodules',
      [
        treeEntry(
          '100644',
          '.gitmodules',
          obj('blob', '[submodule "a"]\n\tpath = a\n\turl = https://example.com/a.git\n').oid,
        ),
      ],
      [obj('blob', '[submodule "a"]\n\tpath = a\n\turl = https://example.com/a.git\n')],
    ),
    treeCase(
      'gitmodules-unparsable',
      [treeEntry('100644', '.gitmodules', obj('blob', '[broken\n').oid)],
      [obj('blob', '[broken\n')],
    ),
    // Odd modes are only informational since git 2.36.
    treeCase('mode-100664', [treeEntry('100664', 'f', b)]),
    treeCase('mode-100600', [treeEntry('100600', 'f', b)]),
    treeCase('dotgitfoo', [treeEntry('100644', '.gitfoo', b), treeEntry('100644', 'git~2', b)]),
    tagCase('no-tagger', (t) => `object ${t}\ntype commit\ntag t\n\nm\n`),
    tagCase('bad-tag-name', (t) => `object ${t}\ntype commit\ntag a..b\ntagger ${WHO}\n\nm\n`),
  ];
}
