/**
 * The wire messages of a push: the request's ref commands, capabilities and push options
 * (`parsePushRequest`), and the report-status answer (`writeReportStatus`).
 */
import { concatBytes } from '../bytes';
import {
  encodePkt,
  encodeSideband,
  flushPkt,
  type PktLineReader,
  SIDEBAND_64K_PAYLOAD,
  SIDEBAND_PAYLOAD,
} from '../pktline';
import type { RefCommand, RefCommandResult } from '../store';
import { Capabilities, splitCapabilities } from './capabilities';
import { ProtocolError } from './errors';
import { checkArgument, checkCount, PROTOCOL_LIMITS } from './limits';
import { readLine } from './request';

export interface PushRequest {
  readonly commands: RefCommand[];
  readonly caps: Capabilities;
  readonly pushOptions: string[];
}

export interface PushReport {
  /** null for "unpack ok", else the reason. */
  readonly unpack: string | null;
  readonly results: RefCommandResult[];
}

const COMMAND_RE = /^([0-9a-f]{40}) ([0-9a-f]{40}) (.+)$/;

/** Reads the commands (capabilities on the first) up to a flush, then the push options if any. */
export async function parsePushRequest(reader: PktLineReader): Promise<PushRequest> {
  const commands: RefCommand[] = [];
  let caps = new Capabilities([]);
  for (;;) {
    const line = await readLine(reader);
    if (line.kind === 'flush' || line.kind === 'eof') break;
    if (line.kind !== 'line') throw new ProtocolError('unexpected packet among push commands');
    let text = line.text;
    if (commands.length === 0) {
      const split = splitCapabilities(text);
      text = split.payload;
      caps = split.caps;
    }
    // A shallow client announces its boundaries first; we accept its objects as they come.
    if (text.startsWith('shallow ')) continue;
    const m = COMMAND_RE.exec(text);
    if (!m) throw new ProtocolError(`invalid push command '${text}'`);
    checkCount('push command', commands.length + 1, PROTOCOL_LIMITS.pushCommands);
    commands.push({ oldOid: m[1], newOid: m[2], name: checkArgument('ref name', m[3]) });
  }
  const pushOptions: string[] = [];
  if (caps.has('push-options') && commands.length > 0) {
    for (;;) {
      const line = await readLine(reader);
      if (line.kind === 'flush' || line.kind === 'eof') break;
      if (line.kind !== 'line') throw new ProtocolError('unexpected packet among push options');
      checkCount('push option', pushOptions.length + 1, PROTOCOL_LIMITS.pushOptions);
      pushOptions.push(checkArgument('push option', line.text.replace(/\n$/, '')));
    }
  }
  return { commands, caps, pushOptions };
}

/** Data bytes per side-band packet for the client's capabilities; 0 without side-band. */
export function sidebandPayload(caps: Capabilities): number {
  if (caps.has('side-band-64k')) return SIDEBAND_64K_PAYLOAD;
  return caps.has('side-band') ? SIDEBAND_PAYLOAD : 0;
}

/**
 * The end of the answer: report-status (on band 1 when side-band is on, `band` bytes a packet)
 * and the final flush; only the flush when the client asked for no report.
 */
export function writeReportStatus(report: PushReport, caps: Capabilities, band: number): Uint8Array[] {
  if (!caps.has('report-status') && !caps.has('report-status-v2')) return band > 0 ? [flushPkt()] : [];
  const lines = [report.unpack === null ? 'unpack ok' : `unpack ${report.unpack}`];
  for (const r of report.results) lines.push(r.ok ? `ok ${r.name}` : `ng ${r.name} ${r.reason}`);
  const status = concatBytes([...lines.map((l) => encodePkt(`${l}\n`)), flushPkt()]);
  return band > 0 ? [...encodeSideband(1, status, band), flushPkt()] : [status];
}
