/** Reading request lines: text packets up to a flush, with protocol errors on surprises. */
import { type PktLineReader, pktText } from '../pktline';
import { ProtocolError } from './errors';

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
