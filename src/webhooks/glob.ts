// Branch filters as Gitea reads them (gobwas/glob without separators): `*` any run of
// characters (`/` included), `?` one character, `{a,b}` alternatives, `[abc]` / `[!abc]` classes.

/** The pattern as a RegExp, or null when it is not a valid glob. */
export function compileGlob(pattern: string): RegExp | null {
  let re = '';
  let braces = 0;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else if (ch === '{') {
      braces++;
      re += '(?:';
    } else if (ch === '}') {
      if (braces === 0) return null;
      braces--;
      re += ')';
    } else if (ch === ',' && braces > 0) re += '|';
    else if (ch === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) return null;
      let body = pattern.slice(i + 1, end);
      const negate = body.startsWith('!');
      if (negate) body = body.slice(1);
      if (body === '') return null;
      re += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = end;
    } else if (ch === '\\' && i + 1 < pattern.length) {
      i++;
      re += pattern[i].replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    } else re += ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  }
  if (braces !== 0) return null;
  try {
    return new RegExp(`^${re}$`, 's');
  } catch {
    return null;
  }
}

/** Whether a branch passes a hook's filter ('' and '*' let every branch through). */
export function branchMatches(filter: string, branch: string): boolean {
  if (filter === '' || filter === '*') return true;
  return compileGlob(filter)?.test(branch) ?? false;
}
