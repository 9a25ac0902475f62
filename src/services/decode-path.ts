/**
 * Percent-decoding that cannot throw: `decodeURIComponent` throws a URIError on a malformed escape
 * (`%`, `%E0`, `%zz`), and such input comes from anyone (a URL, a link in a comment). Surfaces
 * decide what a bad escape means: a 400 in the API, the text kept as written in markdown.
 */

/** The decoded text, or null when it holds a malformed percent-escape. */
export function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch (e) {
    if (e instanceof URIError) return null;
    throw e;
  }
}

/** Each `/`-separated segment decoded, or null when any holds a malformed escape. */
export function decodePath(path: string): string | null {
  const parts: string[] = [];
  for (const segment of path.split('/')) {
    const part = safeDecode(segment);
    if (part === null) return null;
    parts.push(part);
  }
  return parts.join('/');
}
