// What Renovate (platform `gitea`) asks of this server, recorded and replayed: a proxy between
// Renovate and the server records each API call with its answer's status; names that change per
// run (owner, repository, label ids, commit ids) are written as placeholders so that a fresh
// repository of the same shape can be asked the same things. `RENOVATE_READS` lists, per call,
// the answer's fields Renovate's gitea platform reads (lib/modules/platform/gitea, 39.264).
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  method: string;
  /** Path and query, with `{owner}`, `{repo}`, `{label}` and `{sha:<branch>}` placeholders. */
  url: string;
  body: unknown;
  status: number;
}

export interface Names {
  owner: string;
  repo: string;
  label: number;
  /** Commit id -> the branch it was the head of (learned from answers while recording). */
  shas: Map<string, string>;
}

const SHA = /\b[0-9a-f]{40}\b/g;

export function templated(text: string, names: Names): string {
  return (
    text
      .replace(SHA, (sha) => `{sha:${names.shas.get(sha) ?? '?'}}`)
      // Both names are unique per run (a random suffix), so every occurrence is the name.
      .replaceAll(names.owner, '{owner}')
      .replaceAll(names.repo, '{repo}')
      .replaceAll(`/labels/${names.label}`, '/labels/{label}')
      .replaceAll(`"labels":[${names.label}]`, '"labels":["{label}"]')
  );
}

/** The values a recorded call's placeholders stand for in another repository. */
export function filled(text: string, names: Omit<Names, 'shas'>, shaOf: (branch: string) => string): string {
  return text
    .replaceAll('{owner}', names.owner)
    .replaceAll('{repo}', names.repo)
    .replaceAll('"{label}"', String(names.label))
    .replaceAll('{label}', String(names.label))
    .replace(/\{sha:([^}]*)\}/g, (_, branch: string) => shaOf(branch));
}

/** Branch heads named in an answer (a branch's `commit.id`, a pull request's `head`/`base`). */
function learnShas(value: unknown, shas: Map<string, string>): void {
  if (Array.isArray(value)) {
    for (const v of value) learnShas(v, shas);
    return;
  }
  if (!value || typeof value !== 'object') return;
  const o = value as Record<string, unknown>;
  const commit = o.commit as { id?: unknown } | undefined;
  if (typeof o.name === 'string' && typeof commit?.id === 'string') shas.set(commit.id, o.name);
  if (typeof o.ref === 'string' && typeof o.sha === 'string') shas.set(o.sha, o.ref);
  for (const v of Object.values(o)) learnShas(v, shas);
}

/** Forwards to `target`, recording `/api/v1` calls. The Host header is the target's, so the clone
 * URLs in answers lead git straight to the server. */
export function recordingProxy(
  target: string,
  names: Omit<Names, 'shas'>,
): Promise<{ server: Server; url: string; calls: RecordedCall[] }> {
  const calls: RecordedCall[] = [];
  const shas = new Map<string, string>();
  const to = new URL(target);
  const record = (method: string, url: string, sent: Buffer, status: number, type: string, got: Buffer) => {
    const all = { ...names, shas };
    const body = sent.length ? JSON.parse(templated(sent.toString('utf8'), all)) : null;
    calls.push({ method, url: templated(url, all), body, status });
    if (type.includes('json') && got.length) learnShas(JSON.parse(got.toString('utf8')), shas);
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const sent = Buffer.concat(chunks);
      const url = req.url ?? '/';
      const method = req.method ?? 'GET';
      // Identity encoding: the recorder reads the answers.
      const headers = { ...req.headers, host: to.host, 'accept-encoding': 'identity' };
      const out = request({ host: to.hostname, port: to.port, method, path: url, headers }, (answer) => {
        const back: Buffer[] = [];
        answer.on('data', (c: Buffer) => back.push(c));
        answer.on('end', () => {
          const got = Buffer.concat(back);
          const status = answer.statusCode ?? 502;
          try {
            if (url.startsWith('/api/v1/'))
              record(method, url, sent, status, answer.headers['content-type'] ?? '', got);
          } finally {
            res.writeHead(status, answer.headers).end(got);
          }
        });
      });
      out.on('error', (e) => res.writeHead(502).end(String(e)));
      out.end(sent);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls }),
    ),
  );
}

const PULL = [
  'number',
  'state',
  'title',
  'body',
  'merged',
  'mergeable',
  'created_at',
  'updated_at',
  'head.label',
  'head.ref',
  'head.sha',
  'head.repo.full_name',
  'base.ref',
  'user.username',
  'labels',
  'assignees',
];
const REPO = [
  'id',
  'archived',
  'mirror',
  'empty',
  'fork',
  'permissions.pull',
  'permissions.push',
  'has_pull_requests',
  'has_issues',
  'allow_rebase',
  'allow_rebase_explicit',
  'allow_squash_merge',
  'allow_merge_commits',
  'default_branch',
  'clone_url',
];

/** Fields Renovate reads from each answer (`[]` first: of every item of a list). */
export const RENOVATE_READS: [method: string, path: RegExp, fields: string[]][] = [
  ['GET', /^\/api\/v1\/version$/, ['version']],
  ['GET', /^\/api\/v1\/user$/, ['id', 'username', 'email']],
  ['GET', /^\/api\/v1\/repos\/[^/]+\/[^/]+$/, REPO],
  ['GET', /\/contents\//, ['content', 'sha', 'type']],
  ['GET', /\/pulls$/, PULL.map((f) => `[].${f}`)],
  ['POST', /\/pulls$/, PULL],
  ['GET', /\/pulls\/\d+$/, PULL],
  ['PATCH', /\/pulls\/\d+$/, PULL],
  ['GET', /\/labels$/, ['[].id', '[].name']],
  ['GET', /\/commits\/[^/]+\/statuses$/, ['[].id', '[].status', '[].context']],
  ['GET', /\/branches\/[^/]+$/, ['name', 'commit.id', 'protected']],
  ['GET', /\/issues$/, ['[].number', '[].state', '[].title', '[].body']],
];

/** Field paths of `fields` that `value` lacks (`[]` walks every item; `null` counts as present). */
export function missingFields(value: unknown, fields: string[]): string[] {
  const at = (v: unknown, parts: string[]): boolean => {
    if (parts.length === 0) return v !== undefined;
    if (parts[0] === '[]') return Array.isArray(v) && v.every((item) => at(item, parts.slice(1)));
    if (!v || typeof v !== 'object') return false;
    return at((v as Record<string, unknown>)[parts[0]], parts.slice(1));
  };
  return fields.filter((f) => !at(value, f.split('.')));
}
