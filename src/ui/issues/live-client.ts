/**
 * The browser side of live updates: one WebSocket to the issue's channel, reconnecting with
 * growing pauses, a keep-alive ping the server answers without waking its Durable Object.
 */
import { useEffect, useRef, useState } from 'react';
import { ACCESS_LOST, ACCESS_LOST_NOTICE, type LiveEvent, type LiveMessage } from '../../live/events';

export type LiveStatus = 'connecting' | 'live' | 'offline';

const PING_MS = 30_000;
const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 15_000;

export function liveUrl(owner: string, repo: string, number: number): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const path = `/api/v1/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/issues/${number}/live`;
  return `${scheme}://${window.location.host}${path}`;
}

/**
 * Calls `onEvent` for each event on issue `number`, and `onResync` after a reconnection (events
 * sent while disconnected are lost, so the page reloads its data then).
 */
export function useLiveIssue(
  owner: string,
  repo: string,
  number: number,
  onEvent: (event: LiveEvent) => void,
  onResync: () => void,
): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const handlers = useRef({ onEvent, onResync });
  handlers.current = { onEvent, onResync };

  useEffect(() => {
    let socket: WebSocket | null = null;
    let ping: ReturnType<typeof setInterval> | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let delay = RETRY_MIN_MS;
    let everOpen = false;
    let stopped = false;

    const connect = () => {
      setStatus('connecting');
      const ws = new WebSocket(liveUrl(owner, repo, number));
      socket = ws;
      ws.onopen = () => {
        setStatus('live');
        delay = RETRY_MIN_MS;
        if (everOpen) handlers.current.onResync();
        everOpen = true;
        ping = setInterval(() => ws.send('ping'), PING_MS);
      };
      ws.onmessage = (m) => {
        if (typeof m.data !== 'string' || m.data === 'pong') return;
        if (m.data === ACCESS_LOST_NOTICE) {
          ws.close(ACCESS_LOST, 'access lost');
          return;
        }
        let message: LiveMessage;
        try {
          message = JSON.parse(m.data) as LiveMessage;
        } catch (err) {
          console.warn('live: unreadable message', err);
          return;
        }
        if (message.issue === number && message.event) handlers.current.onEvent(message.event);
      };
      ws.onclose = (e) => {
        clearInterval(ping);
        if (stopped) return;
        setStatus('offline');
        // Closed for lost access (the server's policy code): asking again would be refused.
        if (e.code === ACCESS_LOST) return;
        retry = setTimeout(connect, delay);
        delay = Math.min(delay * 2, RETRY_MAX_MS);
      };
    };
    connect();
    return () => {
      stopped = true;
      clearInterval(ping);
      clearTimeout(retry);
      socket?.close(1000, 'page left');
    };
  }, [owner, repo, number]);

  return status;
}
