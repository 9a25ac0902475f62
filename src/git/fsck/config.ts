/**
 * A small reader of git's config syntax, enough to check `.gitmodules` blobs as git does:
 * `[section "subsection"]` headers, `key = value` lines, quotes, escapes, comments and line
 * continuations. Reading stops at the first syntax error (git then reports GITMODULES_PARSE
 * but keeps what it had already checked).
 */

export interface ConfigEntry {
  readonly section: string;
  readonly subsection: string | null;
  readonly key: string;
  /** null for a key without `=` (a boolean true). */
  readonly value: string | null;
}

export interface ConfigParse {
  readonly entries: ConfigEntry[];
  readonly error: string | null;
}

const isKeyChar = (c: string): boolean => /[A-Za-z0-9-]/.test(c);

export function parseConfig(text: string): ConfigParse {
  const entries: ConfigEntry[] = [];
  let i = 0;
  let section: string | null = null;
  let subsection: string | null = null;
  const fail = (why: string): ConfigParse => ({ entries, error: why });
  if (text.startsWith('\ufeff')) i = 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\n' || c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#' || c === ';') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '[') {
      i++;
      let name = '';
      while (i < text.length && /[A-Za-z0-9.-]/.test(text[i])) name += text[i++];
      subsection = null;
      if (text[i] === ' ' || text[i] === '\t') {
        while (text[i] === ' ' || text[i] === '\t') i++;
        if (text[i] !== '"') return fail('bad section header');
        i++;
        let sub = '';
        for (;;) {
          if (i >= text.length || text[i] === '\n') return fail('unterminated subsection');
          if (text[i] === '"') break;
          if (text[i] === '\\') i++;
          if (i >= text.length || text[i] === '\n') return fail('bad escape in subsection');
          sub += text[i++];
        }
        i++;
        subsection = sub;
      }
      if (text[i] !== ']' || name === '') return fail('bad section header');
      i++;
      section = name.toLowerCase();
      continue;
    }
    if (!/[A-Za-z]/.test(c)) return fail(`unexpected character '${c}'`);
    if (section === null) return fail('key outside any section');
    let key = '';
    while (i < text.length && isKeyChar(text[i])) key += text[i++];
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (i >= text.length || text[i] === '\n' || text[i] === '#' || text[i] === ';' || text[i] === '\r') {
      entries.push({ section, subsection, key: key.toLowerCase(), value: null });
      continue;
    }
    if (text[i] !== '=') return fail(`bad key '${key}'`);
    i++;
    const value = readValue(text, i);
    if (value === null) return fail('bad value');
    entries.push({ section, subsection, key: key.toLowerCase(), value: value.value });
    i = value.end;
  }
  return { entries, error: null };
}

const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', n: '\n', t: '\t', b: '\b' };

/** git's `parse_value`: trims unquoted surrounding space, handles quotes, escapes, comments. */
function readValue(text: string, start: number): { value: string; end: number } | null {
  let i = start;
  while (text[i] === ' ' || text[i] === '\t') i++;
  let out = '';
  let quoted = false;
  let pendingSpace = '';
  for (;;) {
    if (i >= text.length) break;
    const c = text[i];
    if (c === '\n') {
      if (quoted) return null;
      i++;
      break;
    }
    if (!quoted && (c === '#' || c === ';')) {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (!quoted && (c === ' ' || c === '\t' || c === '\r')) {
      pendingSpace += c;
      i++;
      continue;
    }
    if (pendingSpace) {
      out += pendingSpace;
      pendingSpace = '';
    }
    if (c === '\\') {
      const n = text[i + 1];
      if (n === '\n') {
        i += 2;
        continue;
      }
      if (n === undefined || !(n in ESCAPES)) return null;
      out += ESCAPES[n];
      i += 2;
      continue;
    }
    if (c === '"') {
      quoted = !quoted;
      i++;
      continue;
    }
    out += c;
    i++;
  }
  if (quoted) return null;
  return { value: out, end: i };
}
