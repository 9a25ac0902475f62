import { describe, expect, it } from 'vitest';
import { highlightLines, languageFor, splitHighlightedLines } from './highlight';

describe('highlighting', () => {
  it('keeps spans balanced per line', () => {
    expect(splitHighlightedLines('<span class="a">x\ny</span>\nz')).toEqual([
      '<span class="a">x</span>',
      '<span class="a">y</span>',
      'z',
    ]);
  });

  it('highlights known languages and escapes the rest', () => {
    const ts = highlightLines('const a = "<b>";\n/* one\ntwo */\n', 'x.ts');
    expect(ts.language).toBe('typescript');
    expect(ts.lines).toHaveLength(3);
    expect(ts.lines[0]).toContain('hljs-keyword');
    expect(ts.lines[0]).toContain('&lt;b&gt;');
    const plain = highlightLines('<script>x</script>', 'file.unknownext');
    expect(plain.lines).toEqual(['&lt;script&gt;x&lt;/script&gt;']);
  });

  it("names that are Object's own keys are plain files, not languages", () => {
    for (const path of [
      'constructor',
      '__proto__',
      'a.constructor',
      'b.__proto__',
      'c.toString',
      'hasOwnProperty',
    ]) {
      expect(languageFor(path), path).toBeNull();
      expect(highlightLines('<b>\n', path).lines, path).toEqual(['&lt;b&gt;']);
    }
    expect(languageFor('Makefile')).toBe('makefile');
    // The bundled highlighter has no Dockerfile grammar: plain text, not an error.
    expect(highlightLines('FROM x <y>\n', 'Dockerfile')).toEqual({
      lines: ['FROM x &lt;y&gt;'],
      language: null,
    });
    expect(languageFor('x.ts')).toBe('typescript');
  });
});
