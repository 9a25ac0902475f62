/**
 * Git's Smart HTTP transport (gitprotocol-http): framing, content types, authorization and
 * request decoding. The protocol itself runs in the repository's Durable Object.
 */
import { authorizeRepo } from '../auth/permission';
import { findRepoSetting } from '../db/repo-settings';
import { concatBytes } from '../git/bytes';
import { encodePkt, flushPkt } from '../git/pktline';
import type { Protection } from '../git/protect/guard';
import { admissionWaitOf } from '../services/admission-wait';
import { pushGate } from '../services/protection';
import { readOnlyReasonOf } from '../services/read-only';
import { type GitService, type ProtocolVersion, repoClient } from '../services/repo-client';
import { throughNative } from '../storage/native-stream';
import { drainBody } from './drain-body';
import { gitBody } from './git-body';
import { routeClone } from './worker-clone';

const PATH = /^\/([^/]+)\/([^/]+?)(?:\.git)?\/(info\/refs|git-upload-pack|git-receive-pack)$/;

/** Names a clone the Worker streamed from R2 (tests and operators tell the two paths apart). */
const PACK_SOURCE = 'X-Gitflare-Pack-Source';

function textError(status: number, message: string, headers: HeadersInit = {}): Response {
  return new Response(`${message}\n`, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', ...headers },
  });
}

function isService(s: string | null): s is GitService {
  return s === 'git-upload-pack' || s === 'git-receive-pack';
}

/** The protocol version the client asked for in `Git-Protocol` (v2 exists only for fetch). */
function protocolVersion(request: Request, service: GitService): ProtocolVersion {
  const header = request.headers.get('Git-Protocol') ?? '';
  const asked = header
    .split(':')
    .map((p) => p.trim())
    .find((p) => p.startsWith('version='));
  if (asked === 'version=2' && service === 'git-upload-pack') return 2;
  if (asked === 'version=1' || asked === 'version=2') return 1;
  return 0;
}

export async function handleGit(request: Request, env: Env): Promise<Response> {
  const response = await answerGit(request, env);
  // A refusal answered mid-upload would break the connection git reuses (see drainBody).
  if (response.status >= 400) await drainBody(request);
  return response;
}

async function answerGit(request: Request, env: Env): Promise<Response> {
  const url = new URL(request.url);
  const match = PATH.exec(url.pathname);
  if (!match) return textError(404, 'Not found');
  const [, owner, name, endpoint] = match;

  let service: GitService;
  if (endpoint === 'info/refs') {
    if (request.method !== 'GET' && request.method !== 'HEAD') return textError(405, 'Method not allowed');
    const asked = url.searchParams.get('service');
    if (!asked) return textError(403, 'Only the smart HTTP protocol is supported; please upgrade git');
    if (!isService(asked)) return textError(403, `Unsupported service: ${asked}`);
    service = asked;
  } else {
    if (request.method !== 'POST') return textError(405, 'Method not allowed');
    service = endpoint as GitService;
  }

  const access = await authorizeRepo(
    request,
    env,
    owner,
    name,
    service === 'git-receive-pack' ? 'write' : 'read',
  );
  if (!access.ok) {
    const messages: Record<number, string> = {
      401: 'Authentication required',
      403: 'You do not have permission to push to this repository',
      404: 'Repository not found',
      429: 'Too many failed sign-in attempts; try again later',
    };
    return textError(access.status, messages[access.status] ?? 'Forbidden', access.headers ?? {});
  }

  // A push reads whether the repository takes pushes and, for the push itself, its branch
  // rules (which travel with it; the object applies them as it moves refs).
  let protection: Protection | undefined;
  if (service === 'git-receive-pack') {
    const pusher = access.actor?.username ?? '';
    const [gate, settings] = await Promise.all([
      pushGate(env.DB, access.repo.id, pusher, endpoint !== 'info/refs'),
      findRepoSetting(env.DB, access.repo.id),
    ]);
    const readOnly = readOnlyReasonOf(settings.archived, gate.mirror);
    if (readOnly) return refusePush(endpoint, readOnly);
    protection = gate.protection;
  }

  const repo = repoClient(env, access.repo);
  const version = protocolVersion(request, service);
  const noCache = { 'Cache-Control': 'no-cache, max-age=0, must-revalidate', Pragma: 'no-cache' };

  if (endpoint === 'info/refs') {
    const body = await repo.advertise(service, version);
    // The advertisement is small; copy it out of the RPC result into a plain buffer.
    return new Response(body.slice(), {
      headers: { 'Content-Type': `application/x-${service}-advertisement`, ...noCache },
    });
  }

  const contentType = request.headers.get('Content-Type') ?? '';
  if (contentType !== `application/x-${service}-request`) {
    return textError(415, `Expected Content-Type application/x-${service}-request`);
  }
  const body = gitBody(request, service);
  if (!('stream' in body)) return textError(body.status, body.message);
  if (service === 'git-upload-pack') {
    // A whole clone the R2 copies answer is streamed here; the rest goes to the object.
    const route = version === 2 ? await routeClone(env.BLOBS, repo, body.stream, body.gzip) : null;
    if (route?.kind === 'worker') {
      return new Response(route.answer, {
        headers: { 'Content-Type': `application/x-${service}-result`, ...noCache, [PACK_SOURCE]: 'worker' },
      });
    }
    const wait = admissionWaitOf(request, env);
    const result = await repo.uploadPack(route?.body ?? body.stream, version, body.gzip, wait);
    // Once the answer is out, read what the handler left of the upload (it may have refused early).
    return new Response(
      throughNative(result, () => body.drain()),
      {
        headers: { 'Content-Type': `application/x-${service}-result`, ...noCache },
      },
    );
  }
  const notice = access.actor
    ? { pusherId: access.actor.userId, origin: env.BETTER_AUTH_URL?.replace(/\/+$/, '') || url.origin }
    : undefined;
  const result = await repo.receivePack(body.stream, notice, protection, admissionWaitOf(request, env));
  return new Response(result, {
    headers: { 'Content-Type': `application/x-${service}-result`, ...noCache },
  });
}

/** git shows an `ERR` line of the advertisement as "remote error: ..."; a POST gets plain 403. */
function refusePush(endpoint: string, message: string): Response {
  if (endpoint !== 'info/refs') return textError(403, message);
  const body = concatBytes([
    encodePkt('# service=git-receive-pack\n'),
    flushPkt(),
    encodePkt(`ERR ${message}\n`),
  ]);
  return new Response(body.slice(), {
    headers: { 'Content-Type': 'application/x-git-receive-pack-advertisement', 'Cache-Control': 'no-cache' },
  });
}
