// A webhook receiver for tests: an HTTP server on 127.0.0.1 that records each request and
// answers with the statuses it is told (200 once they run out).
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from './wait';

export interface ReceivedHook {
  headers: IncomingHttpHeaders;
  body: string;
  json: Record<string, unknown>;
}

export class HookReceiver {
  readonly received: ReceivedHook[] = [];
  private constructor(private readonly server: Server) {}

  static async start(statuses: number[] = []): Promise<HookReceiver> {
    const queue = [...statuses];
    const server = createServer();
    const receiver = new HookReceiver(server);
    server.on('request', (req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (d: Buffer) => parts.push(d));
      req.on('end', () => {
        const body = Buffer.concat(parts).toString('utf8');
        let json: Record<string, unknown> = {};
        try {
          json = JSON.parse(body) as Record<string, unknown>;
        } catch {
          // recorded as received; the test's assertions on json then fail
        }
        receiver.received.push({ headers: req.headers, body, json });
        res.writeHead(queue.shift() ?? 200, { 'Content-Type': 'text/plain' });
        res.end('thanks');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  /** The deliveries of `event` so far. */
  events(event: string): ReceivedHook[] {
    return this.received.filter((r) => r.headers['x-gitea-event'] === event);
  }

  /** Waits (generous deadline) until `pick` finds a delivery, and returns it. */
  waitFor(pick: (r: ReceivedHook[]) => ReceivedHook | undefined, what: string): Promise<ReceivedHook> {
    return waitFor(`a ${what} delivery`, () => pick(this.received), {
      detail: () => `received: ${this.received.map((r) => r.headers['x-gitea-event']).join(', ') || 'none'}`,
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The hex HMAC-SHA256 a delivery's signature headers must carry. */
export function expectedSignature(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}
