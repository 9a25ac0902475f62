/**
 * git's own Smart HTTP server (`git http-backend`) behind a tiny Node CGI bridge: the reference
 * receiver for tests. Bare repositories are created with `receive.fsckObjects=true` and
 * `receive.unpackLimit=1` (always index-pack, as Gitflare does, so `unpack` reasons compare).
 */
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { GIT_ENV, git, makeTempDir, removeDir } from './git';

export interface HttpBackend {
  readonly url: string;
  readonly root: string;
  /** Create a bare repository `name.git`; returns its Smart HTTP url. */
  create(name: string, config?: Record<string, string>): string;
  close(): Promise<void>;
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of req) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

function runCgi(root: string, req: IncomingMessage, body: Buffer): Promise<Buffer> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const env: NodeJS.ProcessEnv = {
    ...GIT_ENV,
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: '1',
    REMOTE_USER: 'tester',
    REMOTE_ADDR: '127.0.0.1',
    REQUEST_METHOD: req.method ?? 'GET',
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.slice(1),
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    CONTENT_LENGTH: String(body.length),
    GIT_PROTOCOL: (req.headers['git-protocol'] as string | undefined) ?? '',
  };
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    // http-backend logs to stderr; keep it out of the test output.
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', () => resolve(Buffer.concat(out)));
    // http-backend may answer and exit without reading the whole body (a refused or unneeded
    // request): writing the rest then fails with EPIPE, which is no error of the exchange and
    // would otherwise surface as an uncaught exception in whichever test is running.
    child.stdin.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') reject(e);
    });
    child.stdin.end(body);
  });
}

function sendCgiOutput(res: ServerResponse, out: Buffer): void {
  const sep = out.indexOf('\r\n\r\n');
  const headEnd = sep >= 0 ? sep : out.indexOf('\n\n');
  const bodyStart = sep >= 0 ? sep + 4 : headEnd + 2;
  let status = 200;
  const headers: Record<string, string> = {};
  for (const line of out.subarray(0, Math.max(headEnd, 0)).toString('latin1').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (key.toLowerCase() === 'status') status = Number.parseInt(value, 10);
    else headers[key] = value;
  }
  res.writeHead(status, headers);
  res.end(headEnd >= 0 ? out.subarray(bodyStart) : out);
}

export interface HttpBackendOptions {
  /** HTTP Basic credentials every request must carry (401 without them, as a private host answers). */
  readonly auth?: { readonly username: string; readonly password: string };
}

export async function startHttpBackend(options: HttpBackendOptions = {}): Promise<HttpBackend> {
  const root = makeTempDir('gitflare-backend-');
  const expected = options.auth
    ? `Basic ${Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64')}`
    : null;
  const server: Server = createServer((req, res) => {
    if (expected !== null && req.headers.authorization !== expected) {
      req.resume();
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' });
      res.end();
      return;
    }
    readAll(req)
      .then((body) => runCgi(root, req, body))
      .then((out) => sendCgiOutput(res, out))
      .catch((e: unknown) => {
        console.error('http-backend bridge:', e);
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    root,
    create(name, config = {}) {
      const dir = join(root, `${name}.git`);
      git(root, ['init', '-q', '--bare', '-b', 'main', dir]);
      const settings = {
        'receive.fsckObjects': 'true',
        'receive.unpackLimit': '1',
        'http.receivepack': 'true',
        ...config,
      };
      for (const [k, v] of Object.entries(settings)) git(dir, ['config', k, v]);
      return `${url}/${name}.git`;
    },
    close: async () => {
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
      removeDir(root);
    },
  };
}

/** The branches and tags of a repository on disk, name to id (as `git for-each-ref` lists them). */
export function branchesAndTags(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = git(dir, ['for-each-ref', '--format=%(objectname) %(refname)', 'refs/heads', 'refs/tags']);
  for (const line of lines.split('\n').filter(Boolean)) {
    const [oid, name] = line.split(' ');
    out[name] = oid;
  }
  return out;
}
