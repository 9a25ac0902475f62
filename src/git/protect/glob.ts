/**
 * Branch-name globs as Gitea compiles a protection rule's name (gobwas/glob with `/` as the
 * separator): `*` matches within one path segment, `**` across segments, `?` one character but
 * `/`, `[abc]`/`[!a-z]` a class, `{a,b}` alternatives, `\` escapes the next character. A name with
 * none of these is a plain name and matches only itself.
 */

export class GlobError extends Error {}

const SPECIAL = /[*?[\]{}\\]/;

/** Whether `name` uses glob syntax (Gitea orders plain names before globs). */
export function isGlob(name: string): boolean {
  return SPECIAL.test(name);
}

/** Compiles a glob to a matcher; throws GlobError for invalid syntax (unclosed `[` or `{`). */
export function compileGlob(glob: string): (name: string) => boolean {
  const source = toRegExp(glob, 0, false);
  if (source.end !== glob.length) throw new GlobError(`unexpected '${glob[source.end]}' in '${glob}'`);
  const re = new RegExp(`^${source.re}$`);
  return (name) => re.test(name);
}

interface Parsed {
  readonly re: string;
  /** Where parsing stopped (the end, or a `,`/`}` closing an alternative). */
  readonly end: number;
}

function literal(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function toRegExp(glob: string, start: number, inBraces: boolean): Parsed {
  let re = '';
  let i = start;
  while (i < glob.length) {
    const ch = glob[i];
    if (inBraces && (ch === ',' || ch === '}')) return { re, end: i };
    if (ch === '\\') {
      if (i + 1 >= glob.length) throw new GlobError(`'${glob}' ends with an escape`);
      re += literal(glob[i + 1]);
      i += 2;
    } else if (ch === '*') {
      if (glob[i + 1] === '*') {
        re += '.*';
        i += 2;
      } else {
        re += '[^/]*';
        i += 1;
      }
    } else if (ch === '?') {
      re += '[^/]';
      i += 1;
    } else if (ch === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) throw new GlobError(`unclosed '[' in '${glob}'`);
      let body = glob.slice(i + 1, close);
      const negate = body.startsWith('!');
      if (negate) body = body.slice(1);
      if (body === '') throw new GlobError(`empty class in '${glob}'`);
      re += `[${negate ? '^' : ''}${body.replace(/[\\\]^[]/g, '\\$&')}]`;
      i = close + 1;
    } else if (ch === '{') {
      const alternatives: string[] = [];
      let at = i + 1;
      for (;;) {
        const part = toRegExp(glob, at, true);
        alternatives.push(part.re);
        if (part.end >= glob.length) throw new GlobError(`unclosed '{' in '${glob}'`);
        at = part.end + 1;
        if (glob[part.end] === '}') break;
      }
      re += `(?:${alternatives.join('|')})`;
      i = at;
    } else if (ch === ']' || ch === '}') {
      throw new GlobError(`unexpected '${ch}' in '${glob}'`);
    } else {
      re += literal(ch);
      i += 1;
    }
  }
  if (inBraces) throw new GlobError(`unclosed '{' in '${glob}'`);
  return { re, end: i };
}
