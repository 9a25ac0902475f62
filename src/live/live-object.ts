import { DurableObject } from 'cloudflare:workers';
import { issueTag, type LiveEvent, type LiveMessage } from './events';

/**
 * Live updates of one repository's issues and pull requests: browsers hold WebSockets tagged with
 * the issue number, and the API publishes each change here. The Hibernation API lets the object
 * leave memory between events while the sockets stay open. The Worker checks read permission
 * before forwarding an upgrade; this object trusts it.
 */
export class LiveObject extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // Keep-alive pings are answered without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'));
  }

  /** A WebSocket upgrade for `?issue=N`. */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get('upgrade')?.toLowerCase() !== 'websocket') {
      return new Response('expected a WebSocket upgrade', { status: 426 });
    }
    const issue = Number(new URL(request.url).searchParams.get('issue'));
    if (!Number.isSafeInteger(issue) || issue < 1) return new Response('bad issue number', { status: 400 });
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server, [issueTag(issue)]);
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Sends the event to everyone watching the issue; the number of sockets it went to. */
  async publish(issueNumber: number, event: LiveEvent): Promise<number> {
    const message: LiveMessage = { issue: issueNumber, event };
    const text = JSON.stringify(message);
    let sent = 0;
    for (const ws of this.ctx.getWebSockets(issueTag(issueNumber))) {
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
