/** Filesystem look-alikes of `.git`, `.gitmodules` and `.gitattributes`, as git's path.c judges them. */
import { describe, expect, it } from 'vitest';
import { badSubmoduleName, badSubmoduleUrl } from './gitmodules';
import { isDotgit, isDotgitattributes, isDotgitmodules } from './names';

const b = (s: string) => new TextEncoder().encode(s);

describe('dotgit look-alikes', () => {
  it.each([
    '.git',
    '.GIT',
    '.Git',
    '.git.',
    '.git ',
    '.git. .',
    'git~1',
    'GIT~1',
    '.git:stream',
    '.g\u200cit',
    '\u200d.git',
    '.git\ufeff',
  ])('%j is .git', (name) => expect(isDotgit(b(name))).toBe(true));
  it.each(['.gitx', 'git', '.gi', 'git~2', '.git-foo', 'x.git', '.g\u00e9t', '..git'])(
    '%j is not .git',
    (name) => expect(isDotgit(b(name))).toBe(false),
  );
  it.each([
    '.gitmodules',
    '.GITMODULES',
    '.gitmodules .',
    'gitmod~1',
    'GITMOD~4',
    'gi7eba~1',
    'gi7eba~9',
    '.gitmodu\u200cles',
  ])('%j is .gitmodules', (name) => expect(isDotgitmodules(b(name))).toBe(true));
  it.each(['gitmodules', 'gitmod~5', '.gitmodulesx', 'gi7eba~0'])('%j is not .gitmodules', (name) =>
    expect(isDotgitmodules(b(name))).toBe(false),
  );
  it('knows .gitattributes and its short names', () => {
    for (const n of ['.gitattributes', '.GitAttributes', 'gitatt~1', 'gi7d29~3'])
      expect(isDotgitattributes(b(n))).toBe(true);
    expect(isDotgitattributes(b('.gitattribute'))).toBe(false);
  });
});

describe('submodule names and urls', () => {
  it('refuses names that climb out with ..', () => {
    for (const n of ['..', '../a', 'a/..', 'a/../b', 'a\\..\\b', '']) expect(badSubmoduleName(n)).toBe(true);
    for (const n of ['a..b', '...', 'a/..b', 'x']) expect(badSubmoduleName(n)).toBe(false);
  });
  it('refuses option-like, newline and host-rewriting urls', () => {
    for (const u of ['-x', './%0ahost', '../:x', '..//evil', 'https:///path', 'http://a%0a@/x'])
      expect(badSubmoduleUrl(u)).toBe(true);
    for (const u of ['https://example.com/a.git', '../sibling.git', 'git://host/x', 'git@host:x.git']) {
      expect(badSubmoduleUrl(u)).toBe(false);
    }
  });
});
