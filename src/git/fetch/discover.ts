/**
 * The remote's refs: `info/refs` asking for protocol v2; a v2 server is then asked `ls-refs`
 * (symrefs, peeled tags), a server that answers with a v0 advertisement is read as such.
 */
import { concatBytes } from '../bytes';
import { delimPkt, encodePkt, flushPkt, PktLineReader, pktText } from '../pktline';
import { bodyChunks, expectGitResponse, FetchError, type GitTransport } from './transport';

export interface RemoteRef {
  readonly name: string;
  readonly oid: string;
}

export interface RemoteRefs {
  readonly version: 0 | 2;
  /** Capabilities (v2: the `fetch` command's features; v0: the advertised list). */
  readonly caps: ReadonlySet<string>;
  /** The server's capability `agent`, `object-format`, ... values, by name. */
  readonly values: ReadonlyMap<string, string>;
  /** Branches and tags (no peeled `^{}` entries). */
  readonly refs: readonly RemoteRef[];
  /** The ref HEAD points to, when the server says. */
  readonly head: string | null;
}

const OID = /^[0-9a-f]{40}$/;
/** Bounds what a hostile source can make us hold while listing (git has none; its memory is not 128 MB). */
const MAX_REFS = 200_000;
/** Branches and tags; a Gitea-service migration adds `refs/pull/` (pull requests' heads). */
export const DEFAULT_REF_PREFIXES: readonly string[] = ['refs/heads/', 'refs/tags/'];

export async function discoverRefs(
  transport: GitTransport,
  agent: string,
  prefixes: readonly string[] = DEFAULT_REF_PREFIXES,
): Promise<RemoteRefs> {
  const wanted = (name: string) => prefixes.some((p) => name.startsWith(p));
  const res = await transport('info/refs?service=git-upload-pack', {
    body: null,
    headers: { 'Git-Protocol': 'version=2' },
  });
  const body = await expectGitResponse(res, 'application/x-git-upload-pack-advertisement');
  const reader = new PktLineReader(bodyChunks(body));
  let first = await reader.read();
  if (first.type === 'data' && pktText(first.data).startsWith('# service=')) {
    const flush = await reader.read();
    if (flush.type !== 'flush') throw new FetchError('malformed ref advertisement');
    first = await reader.read();
  }
  if (first.type === 'data' && pktText(first.data) === 'version 2') {
    const values = new Map<string, string>();
    const caps = new Set<string>();
    for (let p = await reader.read(); p.type === 'data'; p = await reader.read()) {
      const line = pktText(p.data);
      const eq = line.indexOf('=');
      const key = eq < 0 ? line : line.slice(0, eq);
      const value = eq < 0 ? '' : line.slice(eq + 1);
      values.set(key, value);
      if (key === 'fetch') for (const f of value.split(' ')) caps.add(f);
    }
    if (!values.has('ls-refs') || !values.has('fetch'))
      throw new FetchError('the source lacks ls-refs or fetch');
    return { version: 2, caps, values, ...(await lsRefs(transport, values, agent, wanted, prefixes)) };
  }
  return readV0(reader, first, wanted);
}

/** The `command=...` header of a v2 request, with our agent and the object format if the server says them. */
export function v2Command(command: string, values: ReadonlyMap<string, string>, agent: string): Uint8Array[] {
  const lines = [encodePkt(`command=${command}\n`)];
  if (values.has('agent')) lines.push(encodePkt(`agent=${agent}\n`));
  if (values.has('object-format')) lines.push(encodePkt('object-format=sha1\n'));
  return lines;
}

async function lsRefs(
  transport: GitTransport,
  values: ReadonlyMap<string, string>,
  agent: string,
  wanted: (name: string) => boolean,
  prefixes: readonly string[],
): Promise<{ refs: RemoteRef[]; head: string | null }> {
  const request = concatBytes([
    ...v2Command('ls-refs', values, agent),
    delimPkt(),
    ...['peel', 'symrefs', 'ref-prefix HEAD', ...prefixes.map((p) => `ref-prefix ${p}`)].map((l) =>
      encodePkt(`${l}\n`),
    ),
    flushPkt(),
  ]);
  const res = await transport('git-upload-pack', { body: request, headers: v2Headers() });
  const reader = new PktLineReader(
    bodyChunks(await expectGitResponse(res, 'application/x-git-upload-pack-result')),
  );
  const refs: RemoteRef[] = [];
  let head: string | null = null;
  for (let p = await reader.read(); p.type !== 'flush'; p = await reader.read()) {
    if (p.type !== 'data') throw new FetchError('malformed ls-refs answer');
    const [oid, name, ...attrs] = pktText(p.data).split(' ');
    if (!OID.test(oid) || !name) throw new FetchError('malformed ls-refs answer');
    if (name === 'HEAD') {
      head = attrs.find((a) => a.startsWith('symref-target:'))?.slice('symref-target:'.length) ?? null;
    } else if (wanted(name)) {
      refs.push({ name, oid });
      if (refs.length > MAX_REFS) throw new FetchError(`the source has more than ${MAX_REFS} refs`);
    }
  }
  return { refs, head };
}

export function v2Headers(): Record<string, string> {
  return {
    'Content-Type': 'application/x-git-upload-pack-request',
    Accept: 'application/x-git-upload-pack-result',
    'Git-Protocol': 'version=2',
  };
}

/** A v0 advertisement: `oid name\0caps` then `oid name` lines up to a flush (also receive-pack's). */
export async function readV0(
  reader: PktLineReader,
  first: Awaited<ReturnType<PktLineReader['read']>>,
  wanted: (name: string) => boolean,
): Promise<RemoteRefs> {
  const refs: RemoteRef[] = [];
  const caps = new Set<string>();
  const values = new Map<string, string>();
  let head: string | null = null;
  for (let p = first; p.type !== 'flush'; p = await reader.read()) {
    if (p.type !== 'data') throw new FetchError('malformed ref advertisement');
    let line = pktText(p.data);
    const nul = line.indexOf('\0');
    if (nul >= 0) {
      for (const cap of line.slice(nul + 1).split(' ')) {
        if (cap.startsWith('symref=HEAD:')) head = cap.slice('symref=HEAD:'.length);
        const eq = cap.indexOf('=');
        if (eq < 0) caps.add(cap);
        else values.set(cap.slice(0, eq), cap.slice(eq + 1));
      }
      line = line.slice(0, nul);
    }
    const [oid, name] = line.split(' ');
    if (!OID.test(oid) || !name) throw new FetchError('malformed ref advertisement');
    if (wanted(name) && !name.endsWith('^{}')) refs.push({ name, oid });
    if (refs.length > MAX_REFS) throw new FetchError(`the source has more than ${MAX_REFS} refs`);
  }
  return { version: 0, caps, values, refs, head };
}
