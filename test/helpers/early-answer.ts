// A request whose answer may come before its body is all sent: the server refuses from the
// declared length (413) and closes with the body unread, and the client's system then resets the
// connection while the client still writes. undici's fetch reports that reset and drops the answer
// it already received (seen once in CI: `write ECONNRESET` in place of a 413), where git's curl reads
// it. Over a plain socket, the answer is read whatever becomes of the rest of the upload.
import { connect } from 'node:net';

export interface EarlyAnswer {
  status: number;
  headers: Map<string, string>;
  body: string;
}

export function answerDespiteReset(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body: Uint8Array | string },
): Promise<EarlyAnswer> {
  const u = new URL(url);
  const body = typeof opts.body === 'string' ? Buffer.from(opts.body) : opts.body;
  const head = [
    `${opts.method ?? 'POST'} ${u.pathname}${u.search} HTTP/1.1`,
    `Host: ${u.host}`,
    `Content-Length: ${body.length}`,
    'Connection: close',
    ...Object.entries(opts.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
  ];
  return new Promise((resolve, reject) => {
    const socket = connect(Number(u.port), u.hostname);
    let got = Buffer.alloc(0);
    /** The answer once it is whole (`closed`: the connection is over), else null. */
    const answer = (closed: boolean): EarlyAnswer | null => {
      const end = got.indexOf('\r\n\r\n');
      if (end < 0) return null;
      const [statusLine, ...rest] = got.subarray(0, end).toString('latin1').split('\r\n');
      const headers = new Map(
        rest.map((l) => [
          l.slice(0, l.indexOf(':')).trim().toLowerCase(),
          l.slice(l.indexOf(':') + 1).trim(),
        ]),
      );
      // Without a length the answer ends with the connection.
      const length = headers.has('content-length') ? Number(headers.get('content-length')) : null;
      const content = got.subarray(end + 4);
      if (length === null ? !closed : content.length < length) return null;
      const status = Number(statusLine.split(' ')[1]);
      return { status, headers, body: content.subarray(0, length ?? content.length).toString('utf8') };
    };
    const settle = (closed: boolean, err?: Error) => {
      const a = answer(closed);
      if (a !== null) {
        socket.destroy();
        resolve(a);
      } else if (closed) {
        reject(err ?? new Error(`the connection ended without a whole answer: ${got.toString('latin1')}`));
      }
    };
    socket.on('data', (d: Buffer) => {
      got = Buffer.concat([got, d]);
      settle(false);
    });
    socket.on('end', () => settle(true));
    // A reset while the body is still being written ends the upload, not the answer read before it.
    socket.on('error', (err) => settle(true, err));
    socket.write(`${head.join('\r\n')}\r\n\r\n`);
    socket.write(body);
  });
}
