// A proxy in front of a test git server (test/helpers/http-backend.ts) that a test can hold or
// cut: while held, pack answers (requests whose body says `done`) wait until released (or, held
// with `afterBytes`, send that many bytes first, so the pack is partly received); while `cut` is
// set, pack answers end after `cutAfter` bytes, as a source failing mid-pack does.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HoldingProxy {
  readonly url: string;
  /** While true, pack answers are cut off after `cutAfter` bytes. */
  cut: boolean;
  /** Holds pack answers until the returned function is called (after their first `afterBytes`, if given). */
  hold(opts?: { afterBytes?: number }): () => void;
  close(): Promise<void>;
}

export async function startHoldingProxy(upstream: string, opts: { cutAfter: number }): Promise<HoldingProxy> {
  let held: Promise<void> | null = null;
  let heldAfter = 0;
  let release: () => void = () => undefined;
  const proxy = {
    url: '',
    cut: false,
    hold(holdOpts?: { afterBytes?: number }) {
      heldAfter = holdOpts?.afterBytes ?? 0;
      held = new Promise((resolve) => {
        release = () => {
          held = null;
          resolve();
        };
      });
      return release;
    },
    async close() {
      release();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', async () => {
      const body = Buffer.concat(parts);
      const isPack = body.includes('done');
      const holding = isPack ? held : null;
      if (holding && heldAfter === 0) await holding;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers))
        if (typeof v === 'string' && k !== 'host') headers[k] = v;
      const answer = await fetch(`${upstream}${req.url}`, {
        method: req.method,
        headers,
        body: req.method === 'POST' ? body : undefined,
      });
      const whole = Buffer.from(await answer.arrayBuffer());
      const midPack = holding !== null && heldAfter > 0;
      // Held mid-pack, the pack's side-band lines are cut in small ones so that the part sent
      // before the hold is whole lines a client can read (git's can be 64 KB each).
      const bytes = midPack ? splitPackLines(whole, 4096) : whole;
      const answerHeaders = Object.fromEntries(answer.headers);
      if (midPack) delete answerHeaders['content-length'];
      res.writeHead(answer.status, answerHeaders);
      if (proxy.cut && isPack) {
        res.write(bytes.subarray(0, opts.cutAfter));
        res.destroy();
      } else if (midPack) {
        const at = pktLineEndAfter(bytes, heldAfter);
        res.write(bytes.subarray(0, at));
        await holding;
        res.end(bytes.subarray(at));
      } else res.end(bytes);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

/**
 * Where the pkt-line holding byte `n` ends: a client reads whole pkt-lines, so an answer held
 * mid-line would show the server nothing of that line.
 */
function pktLineEndAfter(bytes: Buffer, n: number): number {
  let at = 0;
  while (at + 4 <= bytes.length && at < n) {
    const length = Number.parseInt(bytes.subarray(at, at + 4).toString('latin1'), 16);
    if (Number.isNaN(length)) return Math.min(n, bytes.length);
    at += Math.max(length, 4);
  }
  return Math.min(at, bytes.length);
}

/** The same answer with each side-band pack line (band 1) longer than `max` bytes cut in several. */
function splitPackLines(bytes: Buffer, max: number): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  while (at + 4 <= bytes.length) {
    const length = Number.parseInt(bytes.subarray(at, at + 4).toString('latin1'), 16);
    if (Number.isNaN(length)) break;
    const end = at + Math.max(length, 4);
    if (length > 5 + max && bytes[at + 4] === 1) {
      for (let from = at + 5; from < end; from += max) {
        const data = bytes.subarray(from, Math.min(from + max, end));
        out.push(
          Buffer.from((data.length + 5).toString(16).padStart(4, '0'), 'latin1'),
          Buffer.from([1]),
          data,
        );
      }
    } else out.push(bytes.subarray(at, end));
    at = end;
  }
  out.push(bytes.subarray(at));
  return Buffer.concat(out);
}
