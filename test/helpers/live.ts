// Live sockets for the end-to-end tests: open an issue's live channel as a caller, wait for a
// message or for the server to close it for lost access.
import { fetch as upgradeFetch } from 'miniflare';
import { expect } from 'vitest';
import type { Auth } from './accounts';
import { waitFor } from './wait';

/** Far above the server's few seconds between checks: the deadline only bounds a failing run. */
export const CLOSE_WAIT_MS = 30_000;
const ACCESS_LOST = 4403;
const ACCESS_LOST_NOTICE = JSON.stringify({ closing: 'access-lost' });
export const LOST = expect.toSatisfy(
  (e: { code?: number; notice?: string }) => e.code === ACCESS_LOST || e.notice === ACCESS_LOST_NOTICE,
);

export interface LiveSocket {
  messages: string[];
  /** The server's close: its close frame, or the notice it sends just before (the local runtime
   * has been seen not to pass the frame on). */
  ended: Promise<{ code: number } | { notice: string }>;
  isOpen(): boolean;
}

export async function openLive(base: string, path: string, auth: Auth): Promise<LiveSocket> {
  const res = await upgradeFetch(`${base}${path}`, { headers: { upgrade: 'websocket', ...(auth ?? {}) } });
  expect(res.status).toBe(101);
  const ws = res.webSocket;
  if (!ws) throw new Error('no WebSocket in the upgrade response');
  ws.accept();
  const messages: string[] = [];
  let open = true;
  const ended = new Promise<{ code: number } | { notice: string }>((resolve) => {
    ws.addEventListener('message', (e) => {
      const text = String(e.data);
      messages.push(text);
      if (text === ACCESS_LOST_NOTICE) {
        open = false;
        resolve({ notice: text });
      }
    });
    ws.addEventListener('close', (e) => {
      open = false;
      resolve({ code: e.code });
    });
  });
  return { messages, ended, isOpen: () => open };
}

export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves once a message containing `text` has arrived on the socket. */
export async function received(socket: LiveSocket, text: string): Promise<void> {
  await waitFor(`a message with ${text}`, () => socket.messages.some((m) => m.includes(text)), {
    timeoutMs: CLOSE_WAIT_MS,
    intervalMs: 50,
    detail: () => `got ${socket.messages.join('\n')}`,
  });
}
