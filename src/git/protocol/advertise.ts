/** The `info/refs` body of Smart HTTP: v0/v1 ref advertisement or v2 capabilities. */
import { concatBytes } from '../bytes';
import { encodePkt, encodePktLines, flushPkt } from '../pktline';
import { ZERO_OID } from '../store';
import { listRefs } from './refs';
import type { GitRepository, GitService, ProtocolVersion } from './repository';

export function uploadPackCapabilities(agent: string): string[] {
  return [
    'multi_ack',
    'thin-pack',
    'side-band',
    'side-band-64k',
    'ofs-delta',
    'shallow',
    'deepen-since',
    'deepen-not',
    'deepen-relative',
    'no-progress',
    'include-tag',
    'multi_ack_detailed',
    'no-done',
    'allow-tip-sha1-in-want',
    'allow-reachable-sha1-in-want',
    'filter',
    'object-format=sha1',
    `agent=${agent}`,
  ];
}

export function receivePackCapabilities(agent: string): string[] {
  return [
    'report-status',
    'report-status-v2',
    'delete-refs',
    'side-band-64k',
    'quiet',
    'atomic',
    'ofs-delta',
    'push-options',
    'object-format=sha1',
    `agent=${agent}`,
  ];
}

export function v2Capabilities(agent: string): string[] {
  return [
    'version 2',
    `agent=${agent}`,
    'ls-refs=unborn',
    'fetch=shallow wait-for-done filter',
    'server-option',
    'object-format=sha1',
  ];
}

export async function advertiseRefs(
  service: GitService,
  repo: GitRepository,
  options: {
    version: ProtocolVersion;
    /** Ref prefixes receive-pack neither shows nor lets a push update (git's receive.hideRefs). */
    hiddenRefs?: readonly string[];
  },
): Promise<Uint8Array> {
  // receive-pack has no v2; git falls back to v0 for pushes.
  const version = service === 'git-receive-pack' && options.version === 2 ? 0 : options.version;
  const out: Uint8Array[] = [];
  if (version === 2) {
    // Like git http-backend, v2 omits the `# service=` preamble.
    for (const line of v2Capabilities(repo.agent)) out.push(encodePkt(`${line}\n`));
    out.push(flushPkt());
    return concatBytes(out);
  }
  out.push(encodePkt(`# service=${service}\n`), flushPkt());
  if (version === 1) out.push(encodePkt('version 1\n'));
  const { headTarget, head, refs } = await listRefs(repo);
  const caps =
    service === 'git-upload-pack' ? uploadPackCapabilities(repo.agent) : receivePackCapabilities(repo.agent);
  if (service === 'git-upload-pack' && head !== null) caps.unshift(`symref=HEAD:${headTarget}`);
  const lines: string[] = [];
  if (service === 'git-upload-pack' && head !== null) lines.push(`${head} HEAD`);
  const hidden = service === 'git-receive-pack' ? (options.hiddenRefs ?? []) : [];
  for (const r of refs) {
    if (hidden.some((prefix) => r.name.startsWith(prefix))) continue;
    lines.push(`${r.oid} ${r.name}`);
    if (service === 'git-upload-pack' && r.peeled !== undefined) lines.push(`${r.peeled} ${r.name}^{}`);
  }
  if (lines.length === 0) lines.push(`${ZERO_OID} capabilities^{}`);
  out.push(encodePktLines(lines.map((line, i) => (i === 0 ? `${line}\0${caps.join(' ')}\n` : `${line}\n`))));
  out.push(flushPkt());
  return concatBytes(out);
}
