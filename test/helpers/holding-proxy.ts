// A proxy in front of a test git server (test/helpers/http-backend.ts) that a test can hold or
// cut: while held, pack answers (requests whose body says `done`) wait until released; while
// `cut` is set, pack answers end after `cutAfter` bytes, as a source failing mid-pack does.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HoldingProxy {
  readonly url: string;
  /** While true, pack answers are cut off after `cutAfter` bytes. */
  cut: boolean;
  /** Holds pack answers until the returned function is called. */
  hold(): () => void;
  close(): Promise<void>;
}

export async function startHoldingProxy(upstream: string, opts: { cutAfter: number }): Promise<HoldingProxy> {
  let held: Promise<void> | null = null;
  let release: () => void = () => undefined;
  const proxy = {
    url: '',
    cut: false,
    hold() {
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
      if (isPack && held) await held;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers))
        if (typeof v === 'string' && k !== 'host') headers[k] = v;
      const answer = await fetch(`${upstream}${req.url}`, {
        method: req.method,
        headers,
        body: req.method === 'POST' ? body : undefined,
      });
      const bytes = Buffer.from(await answer.arrayBuffer());
      res.writeHead(answer.status, Object.fromEntries(answer.headers));
      if (proxy.cut && isPack) {
        res.write(bytes.subarray(0, opts.cutAfter));
        res.destroy();
      } else res.end(bytes);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
