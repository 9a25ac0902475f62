// Gitea's push, create and delete payloads for the refs a push moved.
import { userJson } from '../api/format';
import { findRepoById, type RepoRecord } from '../db/repos';
import { findUserById, type UserRecord } from '../db/users';
import { listHooks, type NewDelivery } from '../db/webhooks';
import type { PushedCommit } from '../git/browse/pushed-commits';
import { ZERO_OID } from '../git/store';
import { repoClient } from '../services/repo-client';
import type { PushNotice, RefUpdate } from '../storage/repo-object';
import type { HookEvent } from './config';
import { branchMatches } from './glob';
import { syncDeliveries } from './pull-sync';
import { newDelivery, repositoryPayload } from './queue';

/** What the repository's object announces after a push (see RepoObject.announcePush). */
export interface PushAnnouncement extends PushNotice {
  readonly repoId: number;
  readonly updates: readonly RefUpdate[];
}

/** Commits listed in a push payload at most (GitHub's cap; `total_commits` counts them all). */
export const PUSH_COMMITS_MAX = 20;
/** `total_commits` counts up to this many. */
const PUSH_COMMITS_COUNT_CAP = 1000;

/** `+0200` and seconds since the epoch as RFC 3339 in that offset, as git's and Gitea's dates read. */
export function gitTimestamp(seconds: number, timezone: string): string {
  const m = /^([+-])(\d\d)(\d\d)$/.exec(timezone);
  const sign = m?.[1] === '-' ? -1 : 1;
  const offsetMin = m ? sign * (Number(m[2]) * 60 + Number(m[3])) : 0;
  const local = new Date((seconds + offsetMin * 60) * 1000).toISOString().slice(0, 19);
  return m ? `${local}${m[1]}${m[2]}:${m[3]}` : `${local}Z`;
}

function commitJson(htmlUrl: string, c: PushedCommit) {
  return {
    id: c.oid,
    message: c.message,
    url: `${htmlUrl}/commit/${c.oid}`,
    author: { name: c.author.name, email: c.author.email, username: '' },
    committer: { name: c.committer.name, email: c.committer.email, username: '' },
    verification: null,
    timestamp: gitTimestamp(c.committer.time, c.committer.timezone),
    added: c.added,
    removed: c.removed,
    modified: c.modified,
  };
}

function refKind(name: string): { type: 'branch' | 'tag'; short: string } | null {
  if (name.startsWith('refs/heads/')) return { type: 'branch', short: name.slice(11) };
  if (name.startsWith('refs/tags/')) return { type: 'tag', short: name.slice(10) };
  return null;
}

/** The deliveries a push makes for the repository's hooks (none when no hook wants them). */
export async function pushDeliveries(env: Env, a: PushAnnouncement): Promise<NewDelivery[]> {
  // One read of the hooks: a push to a repository without any costs this query and nothing else.
  const active = (await listHooks(env.DB, a.repoId)).filter((h) => h.active);
  const subscribed = (event: HookEvent) => active.filter((h) => h.events.includes(event));
  const [push, create, del, pulls] = [
    subscribed('push'),
    subscribed('create'),
    subscribed('delete'),
    subscribed('pull_request'),
  ];
  if (push.length + create.length + del.length + pulls.length === 0) return [];
  const repo = await findRepoById(env.DB, a.repoId);
  const pusher = await findUserById(env.DB, a.pusherId);
  if (!repo || !pusher) return [];
  const repository = await repositoryPayload(env, a.origin, repo);
  const sender = userJson(pusher, { showEmail: false });
  const client = repoClient(env, repo);
  // The default branch's tip, read once for all the new branches of the push.
  let defaultTip: Promise<string | null> | null = null;
  const baseOfNew = () => {
    defaultTip ??= defaultBranchTip(client, repository.default_branch);
    return defaultTip;
  };
  const ctx: RefContext = { env, a, repo, repository, sender, client, push, create, del, pulls, baseOfNew };
  const out: NewDelivery[] = [];
  for (const u of a.updates) {
    // One ref failing (an object the payload cannot be read from) costs its own deliveries only.
    try {
      out.push(...(await refDeliveries(ctx, u)));
    } catch (e) {
      console.error(`webhooks: no deliveries for ${u.name} (${u.oldOid}..${u.newOid})`, e);
    }
  }
  return out;
}

type Hooks = Awaited<ReturnType<typeof listHooks>>;

/** What every ref of one push shares while its deliveries are built. */
interface RefContext {
  readonly env: Env;
  readonly a: PushAnnouncement;
  readonly repo: RepoRecord;
  readonly repository: Awaited<ReturnType<typeof repositoryPayload>>;
  readonly sender: ReturnType<typeof userJson>;
  readonly client: ReturnType<typeof repoClient>;
  readonly push: Hooks;
  readonly create: Hooks;
  readonly del: Hooks;
  readonly pulls: Hooks;
  /** Where a new branch's listed commits start: the default branch's tip, if there is one. */
  readonly baseOfNew: () => Promise<string | null>;
}

/** The create, delete, pull request and push deliveries of one moved ref. */
async function refDeliveries(ctx: RefContext, u: RefUpdate): Promise<NewDelivery[]> {
  const { env, a, repo, repository, sender, client, push, create, del, pulls, baseOfNew } = ctx;
  const kind = refKind(u.name);
  if (!kind) return [];
  const out: NewDelivery[] = [];
  // The branch filter applies to branches; tags pass every filter.
  const wants = (hooks: Hooks) =>
    hooks.filter((h) => kind.type === 'tag' || branchMatches(h.branchFilter, kind.short));
  const created = u.oldOid === ZERO_OID;
  const deleted = u.newOid === ZERO_OID;
  if (created) {
    const payload = { sha: u.newOid, ref: kind.short, ref_type: kind.type, repository, sender };
    for (const h of wants(create)) out.push(newDelivery(h, 'create', '', payload));
  }
  if (deleted) {
    const payload = { ref: kind.short, ref_type: kind.type, pusher_type: 'user', repository, sender };
    for (const h of wants(del)) out.push(newDelivery(h, 'delete', '', payload));
    return out;
  }
  if (kind.type === 'branch') {
    const common = { repository, sender };
    out.push(...(await syncDeliveries(env, pulls, repo, a.origin, common, kind.short)));
  }
  const pushHooks = wants(push);
  if (pushHooks.length === 0) return out;
  const listed =
    kind.type === 'branch'
      ? await listPushed(
          client,
          created ? (kind.short === repository.default_branch ? null : await baseOfNew()) : u.oldOid,
          u.newOid,
        )
      : { commits: [], total: 0 };
  const head = listed.commits[0] ?? (await listPushed(client, null, u.newOid, 1, 1)).commits[0];
  const payload = {
    ref: u.name,
    before: u.oldOid,
    after: u.newOid,
    compare_url: created ? '' : `${repository.html_url}/compare/${u.oldOid}...${u.newOid}`,
    commits: listed.commits.map((c) => commitJson(repository.html_url, c)),
    total_commits: listed.total,
    head_commit: head ? commitJson(repository.html_url, head) : null,
    repository,
    pusher: sender,
    sender,
  };
  for (const h of pushHooks) out.push(newDelivery(h, 'push', '', payload));
  return out;
}

/** A new branch lists the commits the default branch does not have (all, when it is the first). */
async function defaultBranchTip(
  client: ReturnType<typeof repoClient>,
  defaultBranch: string,
): Promise<string | null> {
  const refs = await client.browse({ kind: 'refs' });
  if (refs.kind !== 'refs') return null;
  return refs.branches.find((b) => b.name === defaultBranch)?.commit.oid ?? null;
}

async function listPushed(
  client: ReturnType<typeof repoClient>,
  base: string | null,
  head: string,
  max = PUSH_COMMITS_MAX,
  countCap = PUSH_COMMITS_COUNT_CAP,
): Promise<{ commits: PushedCommit[]; total: number }> {
  // Only the head wanted (a tag, a test delivery): count nothing past it.
  const r = await client.browse({ kind: 'pushed', base, head, max, countCap });
  if (r.kind !== 'pushed') return { commits: [], total: 0 };
  return { commits: r.commits, total: r.total };
}

/** Gitea's test delivery: a push payload of the default branch's last commit (before = after). */
export async function testPushPayload(env: Env, origin: string, repo: RepoRecord, sender: UserRecord) {
  const repository = await repositoryPayload(env, origin, repo);
  const client = repoClient(env, repo);
  const refs = await client.browse({ kind: 'refs' });
  const tip = refs.kind === 'refs' ? refs.branches.find((b) => b.name === refs.defaultBranch) : undefined;
  const head = tip ? (await listPushed(client, null, tip.commit.oid, 1, 1)).commits[0] : undefined;
  const commits = head ? [commitJson(repository.html_url, head)] : [];
  return {
    ref: `refs/heads/${repository.default_branch}`,
    before: tip?.commit.oid ?? ZERO_OID,
    after: tip?.commit.oid ?? ZERO_OID,
    compare_url: '',
    commits,
    total_commits: commits.length,
    head_commit: commits[0] ?? null,
    repository,
    pusher: userJson(sender, { showEmail: false }),
    sender: userJson(sender, { showEmail: false }),
  };
}
