/** Capability lists: v0 sends them after a NUL on the first line, space separated. */

export class Capabilities {
  private readonly values = new Map<string, string | null>();

  constructor(list: Iterable<string>) {
    for (const cap of list) {
      if (cap === '') continue;
      const eq = cap.indexOf('=');
      if (eq < 0) this.values.set(cap, null);
      else this.values.set(cap.slice(0, eq), cap.slice(eq + 1));
    }
  }

  static parse(text: string): Capabilities {
    return new Capabilities(text.trim().split(' '));
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  value(name: string): string | null {
    return this.values.get(name) ?? null;
  }
}

/** Split a v0 first line `payload\0caps` into its parts. */
export function splitCapabilities(line: string): { payload: string; caps: Capabilities } {
  const nul = line.indexOf('\0');
  if (nul < 0) return { payload: line, caps: new Capabilities([]) };
  return { payload: line.slice(0, nul), caps: Capabilities.parse(line.slice(nul + 1)) };
}
