/**
 * A tiny Smart HTTP server over memory repositories, so tests can drive the engine with the
 * real git CLI in plain Node. Routes (NAME may contain slashes):
 *   GET  /NAME.git/info/refs?service=git-upload-pack|git-receive-pack
 *   POST /NAME.git/git-upload-pack
 *   POST /NAME.git/git-receive-pack
 * Repositories are created on first use. The `Git-Protocol` header selects v1/v2 and gzip
 * request bodies are inflated, as the Worker does.
 */
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGunzip } from 'node:zlib';
import { MemoryRepository } from '../../src/git/memory/repo';
import { advertiseRefs } from '../../src/git/protocol/advertise';
import { receivePack } from '../../src/git/protocol/receive-pack';
import type { GitService, ProtocolVersion } from '../../src/git/protocol/repository';
import { uploadPack } from '../../src/git/protocol/upload-pack';
import { GIT_ENV } from './git';

export interface RequestLog {
  readonly method: string;
  readonly path: string;
  readonly protocol: string | null;
  /** The request body was gzip encoded (git does this for large negotiation requests). */
  readonly gzip: boolean;
  readonly requestBytes: number;
  readonly responseBytes: number;
}

export interface NodeGitServer {
  readonly url: string;
  readonly repos: Map<string, MemoryRepository>;
  readonly log: RequestLog[];
  repo(name: string): MemoryRepository;
  /** Called before each receive-pack request is handled (tests simulate concurrent pushes). */
  beforeReceive: ((repo: MemoryRepository) => Promise<void> | void) | null;
  close(): Promise<void>;
}

export function protocolVersion(header: string | undefined): ProtocolVersion {
  if (!header) return 0;
  const versions = header.split(':').map((p) => /^version=(\d)$/.exec(p)?.[1]);
  if (versions.includes('2')) return 2;
  if (versions.includes('1')) return 1;
  return 0;
}

async function* requestBody(req: IncomingMessage): AsyncGenerator<Uint8Array> {
  const source = req.headers['content-encoding'] === 'gzip' ? req.pipe(createGunzip()) : req;
  for await (const chunk of source) yield new Uint8Array(chunk as Uint8Array);
}

async function pipeResponse(
  res: ServerResponse,
  stream: ReadableStream<Uint8Array>,
  count: (n: number) => void,
): Promise<void> {
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    count(value.length);
    if (!res.write(value)) await new Promise<void>((r) => res.once('drain', () => r()));
  }
  res.end();
}

export async function startNodeGitServer(): Promise<NodeGitServer> {
  // Assigned below; the handler only runs after the server listens.
  let api: NodeGitServer;
  const repos = new Map<string, MemoryRepository>();
  const log: RequestLog[] = [];
  const repo = (name: string): MemoryRepository => {
    let r = repos.get(name);
    if (!r) {
      r = new MemoryRepository();
      repos.set(name, r);
    }
    return r;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const m = /^\/(.+)\.git\/(info\/refs|git-upload-pack|git-receive-pack)$/.exec(url.pathname);
    const version = protocolVersion(req.headers['git-protocol'] as string | undefined);
    let requestBytes = 0;
    let responseBytes = 0;
    const entry = () =>
      log.push({
        method: req.method ?? '',
        path: `${url.pathname}${url.search}`,
        protocol: (req.headers['git-protocol'] as string | undefined) ?? null,
        gzip: req.headers['content-encoding'] === 'gzip',
        requestBytes,
        responseBytes,
      });
    if (!m) {
      res.writeHead(404).end();
      return;
    }
    const r = repo(m[1]);
    res.setHeader('Cache-Control', 'no-cache');
    if (m[2] === 'info/refs') {
      const service = url.searchParams.get('service');
      if (service !== 'git-upload-pack' && service !== 'git-receive-pack') {
        res.writeHead(403).end();
        return;
      }
      const body = await advertiseRefs(service as GitService, r, { version });
      responseBytes = body.length;
      res.writeHead(200, { 'Content-Type': `application/x-${service}-advertisement` });
      res.end(body);
      entry();
      return;
    }
    const service = m[2] as GitService;
    if (service === 'git-receive-pack' && api.beforeReceive) await api.beforeReceive(r);
    const body = (async function* () {
      for await (const chunk of requestBody(req)) {
        requestBytes += chunk.length;
        yield chunk;
      }
    })();
    const stream = service === 'git-upload-pack' ? uploadPack(body, r, { version }) : receivePack(body, r);
    res.writeHead(200, { 'Content-Type': `application/x-${service}-result` });
    await pipeResponse(res, stream, (n) => {
      responseBytes += n;
    });
    entry();
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      // Surface engine bugs in the test output; the client sees a 500 or a cut response.
      console.error('node-git-server:', e);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  api = {
    url: `http://127.0.0.1:${port}`,
    repos,
    log,
    repo,
    beforeReceive: null,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
  return api;
}

export interface GitRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Run git asynchronously. Tests must use this (not execFileSync) while the in-process server
 * runs: a synchronous child would block the event loop the server needs to answer.
 */
export function gitAsync(
  cwd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = GIT_ENV,
): Promise<GitRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** Like gitAsync, but a non-zero exit is an error carrying git's stderr. */
export async function gitOk(cwd: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<GitRun> {
  const r = await gitAsync(cwd, args, env);
  if (r.code !== 0) throw new Error(`git ${args.join(' ')} failed (${r.code}):\n${r.stderr}`);
  return r;
}
