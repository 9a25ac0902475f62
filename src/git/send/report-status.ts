/**
 * receive-pack's `report-status` answer: `unpack ok` (or the reason the pack was refused), then
 * `ok <ref>` or `ng <ref> <reason>` per command, up to a flush.
 */
import { bodyChunks } from '../fetch/transport';
import { PktLineReader, pktText } from '../pktline';
import { SendError } from './errors';

export interface RefStatus {
  readonly name: string;
  /** null: updated. */
  readonly error: string | null;
}

export async function readReportStatus(body: ReadableStream<Uint8Array>): Promise<RefStatus[]> {
  const reader = new PktLineReader(bodyChunks(body));
  const first = await reader.read();
  if (first.type !== 'data') throw new SendError('the remote sent no status report');
  const unpack = pktText(first.data);
  if (!unpack.startsWith('unpack ')) throw new SendError('the remote sent a malformed status report');
  if (unpack !== 'unpack ok') throw new SendError(`the remote refused the pack: ${unpack.slice(7)}`);
  const statuses: RefStatus[] = [];
  for (let p = await reader.read(); p.type !== 'flush'; p = await reader.read()) {
    if (p.type !== 'data') throw new SendError('the remote sent a malformed status report');
    const line = pktText(p.data);
    if (line.startsWith('ok ')) statuses.push({ name: line.slice(3), error: null });
    else if (line.startsWith('ng ')) {
      const rest = line.slice(3);
      const space = rest.indexOf(' ');
      statuses.push({
        name: space < 0 ? rest : rest.slice(0, space),
        error: space < 0 ? 'refused' : rest.slice(space + 1),
      });
    } else throw new SendError('the remote sent a malformed status report');
  }
  return statuses;
}
