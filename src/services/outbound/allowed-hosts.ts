/**
 * Which hosts the server may send requests to (webhooks, migrations, mirrors): Gitea's
 * `ALLOWED_HOST_LIST`. Entries, comma-separated: `external` (public addresses), `loopback`,
 * `private`, `*`, a CIDR range, or a host name pattern with `*` wildcards. Unset means `external`.
 *
 * A Worker cannot resolve names, so a name is judged by itself: `localhost` and `*.localhost` are
 * loopback, any other name counts as external (on Cloudflare a Worker's fetch cannot reach private
 * addresses anyway). Address literals are classified as Go's net.IP is in Gitea's hostmatcher.
 */

export type HostClass = 'loopback' | 'private' | 'external' | 'other';

export interface AllowedHosts {
  readonly any: boolean;
  readonly classes: ReadonlySet<HostClass>;
  readonly ranges: readonly Cidr[];
  readonly patterns: readonly RegExp[];
}

interface Cidr {
  readonly bytes: Uint8Array;
  readonly bits: number;
}

export function parseAllowedHosts(spec: string | undefined): AllowedHosts {
  const entries = (spec ?? '')
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e !== '');
  if (entries.length === 0) entries.push('external');
  const classes = new Set<HostClass>();
  const ranges: Cidr[] = [];
  const patterns: RegExp[] = [];
  let any = false;
  for (const e of entries) {
    if (e === '*') any = true;
    else if (e === 'external' || e === 'loopback' || e === 'private') classes.add(e);
    else if (e.includes('/')) {
      const cidr = parseCidr(e);
      if (cidr) ranges.push(cidr);
    } else patterns.push(globToRegExp(e));
  }
  return { any, classes, ranges, patterns };
}

/** Whether a URL's host (as `new URL().hostname` spells it) is allowed. */
export function hostAllowed(allowed: AllowedHosts, hostname: string): boolean {
  if (allowed.any) return true;
  const host = hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  if (allowed.patterns.some((p) => p.test(host))) return true;
  const ip = parseIp(host);
  if (ip && allowed.ranges.some((r) => inRange(ip, r))) return true;
  return allowed.classes.has(classify(host, ip));
}

export function classify(host: string, ip = parseIp(host)): HostClass {
  if (!ip) return host === 'localhost' || host.endsWith('.localhost') ? 'loopback' : 'external';
  const v4 = ipv4Of(ip);
  if (v4) {
    const [a, b] = [v4[0] ?? 0, v4[1] ?? 0];
    if (a === 127) return 'loopback';
    if (a === 10 || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168)) return 'private';
    // unspecified, link-local, multicast and broadcast are neither (Go's IsGlobalUnicast).
    if (a === 0 || (a === 169 && b === 254) || a >= 224) return 'other';
    return 'external';
  }
  if (ip.every((x, i) => x === (i === 15 ? 1 : 0))) return 'loopback';
  const first = ip[0] ?? 0;
  if ((first & 0xfe) === 0xfc) return 'private';
  if (first === 0xff || (first === 0xfe && ((ip[1] ?? 0) & 0xc0) === 0x80) || ip.every((x) => x === 0)) {
    return 'other';
  }
  return 'external';
}

/** An address as 16 bytes (IPv4 as IPv4-mapped IPv6), or null for a name. */
export function parseIp(host: string): Uint8Array | null {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (v4) {
    const parts = v4.slice(1).map(Number);
    if (parts.some((p) => p > 255)) return null;
    return Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...parts]);
  }
  if (!host.includes(':') || !/^[0-9a-f:.]+$/.test(host)) return null;
  return parseIpv6(host);
}

function parseIpv6(host: string): Uint8Array | null {
  let text = host;
  const tail: number[] = [];
  const dotted = /:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const v4 = parseIp(dotted[1]);
    if (!v4) return null;
    tail.push(...v4.subarray(12));
    text = `${text.slice(0, dotted.index)}:0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string | undefined) => (s ? s.split(':') : []);
  const head = groups(halves[0]);
  const rest = groups(halves[1]);
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  const out = new Uint8Array(16);
  for (const [i, g] of all.entries()) {
    if (!/^[0-9a-f]{1,4}$/.test(g)) return null;
    const n = Number.parseInt(g, 16);
    out[i * 2] = n >> 8;
    out[i * 2 + 1] = n & 0xff;
  }
  if (tail.length) out.set(tail, 12);
  return out;
}

function ipv4Of(ip: Uint8Array): Uint8Array | null {
  for (let i = 0; i < 10; i++) if (ip[i] !== 0) return null;
  return ip[10] === 0xff && ip[11] === 0xff ? ip.subarray(12) : null;
}

function parseCidr(entry: string): Cidr | null {
  const [addr, len] = entry.split('/');
  const bytes = addr ? parseIp(addr) : null;
  const n = Number(len);
  if (!bytes || !Number.isInteger(n) || n < 0) return null;
  const bits = ipv4Of(bytes) && addr?.includes('.') ? 96 + n : n;
  return bits > 128 ? null : { bytes, bits };
}

function inRange(ip: Uint8Array, { bytes, bits }: Cidr): boolean {
  for (let i = 0; i < 16; i++) {
    const take = Math.max(0, Math.min(8, bits - i * 8));
    const mask = take === 0 ? 0 : (0xff << (8 - take)) & 0xff;
    if (((ip[i] ?? 0) & mask) !== ((bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${body}$`);
}
