import { DurableObject } from 'cloudflare:workers';
import { ACCESS_LOST, ACCESS_LOST_NOTICE, issueTag, type LiveEvent, type LiveMessage } from './events';
import { isWatcher, mayStillWatch, type WatchVerdict } from './watcher';

/** How often open sockets are checked again while no event comes. */
const RECHECK_MS = 5_000;

/**
 * Live updates of one repository's issues and pull requests: browsers hold WebSockets tagged with
 * the issue number, and the API publishes each change here. The Hibernation API lets the object
 * leave memory between events while the sockets stay open. The Worker checks read permission
 * before forwarding an upgrade and says who opened the socket; access is checked again before
 * each event is sent and every few seconds (an alarm), and a socket whose credential was revoked
 * or whose user can no longer read the repository is closed.
 */
export class LiveObject extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // Keep-alive pings are answered without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'));
  }

  /** A WebSocket upgrade for `?issue=N&repo=ID&credential=JSON` (from the Worker only). */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get('upgrade')?.toLowerCase() !== 'websocket') {
      return new Response('expected a WebSocket upgrade', { status: 426 });
    }
    const params = new URL(request.url).searchParams;
    const issue = Number(params.get('issue'));
    if (!Number.isSafeInteger(issue) || issue < 1) return new Response('bad issue number', { status: 400 });
    let credential: unknown = null;
    try {
      credential = JSON.parse(params.get('credential') ?? 'null');
    } catch {
      // left null: refused below
    }
    const watcher = { issue, repoId: Number(params.get('repo')), credential };
    if (!isWatcher(watcher)) return new Response('bad watcher', { status: 400 });
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server, [issueTag(issue)]);
    server.serializeAttachment(watcher);
    if ((await this.ctx.storage.getAlarm()) === null)
      await this.ctx.storage.setAlarm(Date.now() + RECHECK_MS);
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Sends the event to everyone still allowed to watch the issue; the number of sockets it went to. */
  async publish(issueNumber: number, event: LiveEvent): Promise<number> {
    const message: LiveMessage = { issue: issueNumber, event };
    const text = JSON.stringify(message);
    let sent = 0;
    for (const ws of await this.recheck(this.ctx.getWebSockets(issueTag(issueNumber)))) {
      try {
        ws.send(text);
        sent++;
      } catch (err) {
        // A socket closing under us: its close handler cleans up; the others still get the event.
        console.warn('live: send failed', err);
      }
    }
    return sent;
  }

  override async alarm(): Promise<void> {
    await this.recheck(this.ctx.getWebSockets());
    if (this.ctx.getWebSockets().length > 0) await this.ctx.storage.setAlarm(Date.now() + RECHECK_MS);
  }

  /** Closes the sockets whose watchers lost access; the ones allowed now. Sockets of one
   * credential are checked once. */
  private async recheck(sockets: WebSocket[]): Promise<WebSocket[]> {
    const verdicts = new Map<string, Promise<WatchVerdict>>();
    const allowed: WebSocket[] = [];
    for (const ws of sockets) {
      const watcher: unknown = ws.deserializeAttachment();
      let verdict: WatchVerdict = 'denied';
      if (isWatcher(watcher)) {
        const key = JSON.stringify([watcher.repoId, watcher.credential]);
        let pending = verdicts.get(key);
        if (!pending) {
          pending = mayStillWatch(this.env, watcher);
          verdicts.set(key, pending);
        }
        verdict = await pending;
      }
      if (verdict === 'allowed') allowed.push(ws);
      else if (verdict === 'denied') endWatch(ws);
    }
    return allowed;
  }

  override async webSocketMessage(_ws: WebSocket, _message: string | ArrayBuffer): Promise<void> {
    // Browsers only listen: anything they send besides the auto-answered ping is ignored.
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    // Complete the closing handshake (newer runtimes already answered it themselves, and then
    // close() throws). 1005/1006 are reserved codes that cannot be sent back.
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, reason);
    } catch (err) {
      console.debug('live: socket already closed', err);
    }
  }

  override async webSocketError(ws: WebSocket, error: unknown): Promise<void> {
    console.warn('live: socket error', error);
    ws.close(1011, 'error');
  }
}

/** Tells the client why, then closes. The notice comes first because the local runtime has been
 * seen not to pass a server's close frame on to the client; the socket gets nothing more either way. */
function endWatch(ws: WebSocket): void {
  try {
    ws.send(ACCESS_LOST_NOTICE);
    ws.close(ACCESS_LOST, 'access revoked');
  } catch (err) {
    console.warn('live: could not close a socket', err);
  }
}
