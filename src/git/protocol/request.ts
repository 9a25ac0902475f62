/** Reading request lines: text packets up to a flush, with protocol errors on surprises. */
import { PktLineReader, pktText } from '../pktline';
import { ProtocolError } from './errors';
import { PROTOCOL_LIMITS } from './limits';

/** A reader of a request's pkt-lines, within the request caps (packets and bytes). */
export function requestReader(body: AsyncIterable<Uint8Array>): PktLineReader {
  return new PktLineReader(body, {
    maxPackets: PROTOCOL_LIMITS.requestPackets,
    maxBytes: PROTOCOL_LIMITS.requestBytes,
  });
}

export type Line = { kind: 'line'; text: string } | { kind: 'flush' } | { kind: 'delim' } | { kind: 'eof' };

export async function readLine(reader: PktLineReader): Promise<Line> {
  const p = await reader.read();
  switch (p.type) {
    case 'data':
      return { kind: 'line', text: pktText(p.data) };
    case 'flush':
      return { kind: 'flush' };
    case 'delim':
      return { kind: 'delim' };
    case 'response-end':
      throw new ProtocolError('unexpected response-end packet in a request');
    case 'eof':
      return { kind: 'eof' };
  }
}

const OID_ARG = /^[0-9a-f]{40}$/;

/** The oid argument of a `want X` / `have X` / `shallow X` line. */
export function oidArg(line: string, keyword: string): string {
  const arg = line.slice(keyword.length + 1).split(' ')[0];
  if (!OID_ARG.test(arg)) throw new ProtocolError(`invalid object id in '${line}'`);
  return arg;
}
