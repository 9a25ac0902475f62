/**
 * The compare page's data (`/{owner}/{repo}/compare/{base}...{head}`), as GitHub's: the head is a
 * branch, tag or commit of this repository, or `{forkowner}:{branch}` / `{forkowner}/{repo}:{branch}`
 * of one of its forks the viewer can read (its tip is fetched here for the comparison, as a pull
 * request's head would be). Without `...` the base is the default branch. Also what the pickers
 * offer: this repository and its parent as bases, this repository and its readable forks as heads.
 */
import { env } from 'cloudflare:workers';
import type { Actor } from '../../../auth/authenticate';
import { repoPermission } from '../../../auth/permission';
import { findForkByOwner, findRepo, listForks, type RepoRecord } from '../../../db/repos';
import { findUserByName } from '../../../db/users';
import type { Mergeability } from '../../../git/merge/merge-refs';
import { repoClient } from '../../../services/repo-client';
import { pageAdmissionWait, pageNotFound, pageRefused } from './load-page';
import type { CompareData, CompareRepo } from './view-types';

interface HeadSpec {
  /** Null: this repository. */
  readonly owner: string | null;
  readonly repo: string | null;
  readonly branch: string;
}

/** `branch`, `owner:branch` or `owner/repo:branch` (a ref name never holds ':'). */
export function parseHeadSpec(spec: string): HeadSpec {
  const colon = spec.indexOf(':');
  if (colon < 0) return { owner: null, repo: null, branch: spec };
  const who = spec.slice(0, colon);
  const slash = who.indexOf('/');
  return {
    owner: slash < 0 ? who : who.slice(0, slash),
    repo: slash < 0 ? null : who.slice(slash + 1),
    branch: spec.slice(colon + 1),
  };
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The repository the head names: this one, or a fork of it the viewer can read; else 404. */
async function headRepository(actor: Actor | null, repo: RepoRecord, spec: HeadSpec): Promise<RepoRecord> {
  if (spec.owner === null) return repo;
  if (same(spec.owner, repo.owner) && (spec.repo === null || same(spec.repo, repo.name))) return repo;
  const missing = pageNotFound(`'${spec.owner}' has no fork of ${repo.owner}/${repo.name} you can read`);
  let fork: RepoRecord | null = null;
  if (spec.repo !== null) fork = await findRepo(env.DB, spec.owner, spec.repo);
  else {
    // One fork per user: the owner's fork of this repository, whatever its name.
    const user = await findUserByName(env.DB, spec.owner);
    fork = user && (await findForkByOwner(env.DB, repo.id, user.id));
  }
  if (!fork || fork.parent?.id !== repo.id) throw missing;
  // A fork the viewer cannot read is answered as one that does not exist.
  if (!(await repoPermission(env, actor, fork.owner, fork.name))) throw missing;
  return fork;
}

async function branchesOf(repo: RepoRecord): Promise<string[]> {
  const r = await repoClient(env, repo).browse({ kind: 'refs' });
  return r.kind === 'refs' ? r.branches.map((b) => b.name) : [];
}

const refOf = (r: RepoRecord): CompareRepo => ({ owner: r.owner, name: r.name });

/** Bases: this repository and its parent when readable; heads: this one and its readable forks. */
async function pickers(actor: Actor | null, repo: RepoRecord, head: RepoRecord) {
  const parent = repo.parent && (await repoPermission(env, actor, repo.parent.owner, repo.parent.name));
  const forks = await listForks(env.DB, repo.id, actor?.userId ?? null);
  const [baseBranches, headBranches] = await Promise.all([branchesOf(repo), branchesOf(head)]);
  return {
    baseRepos: [refOf(repo), ...(parent ? [refOf(parent.repo)] : [])],
    headRepos: [refOf(repo), ...forks.map(refOf)],
    baseBranches,
    headBranches,
  };
}

export async function compareData(actor: Actor | null, repo: RepoRecord, spec: string): Promise<CompareData> {
  const dots = spec.indexOf('...');
  const client = repoClient(env, repo);
  const base = dots < 0 ? (await client.summary()).defaultBranch : spec.slice(0, dots);
  const headSpec = parseHeadSpec(dots < 0 ? spec : spec.slice(dots + 3));
  const head = await headRepository(actor, repo, headSpec);
  const cross = head.id !== repo.id;
  const headLabel = cross ? `${head.owner}:${headSpec.branch}` : headSpec.branch;
  let compare: CompareData['compare'];
  let merge: Mergeability | null = null;
  if (cross) {
    const [tip, baseTip] = await Promise.all([
      repoClient(env, head).refTip(`refs/heads/${headSpec.branch}`),
      client.refTip(`refs/heads/${base}`),
    ]);
    if (tip === null) throw pageNotFound(`head branch '${headLabel}' does not exist`);
    if (baseTip === null) throw pageNotFound(`base branch '${base}' does not exist`);
    const r = await client.compareFork(head, tip, base);
    if (r.kind === 'error') throw pageNotFound(r.message);
    compare = r.compare;
    merge = r.mergeability;
  } else {
    const r = await client.browse({ kind: 'compare', base, head: headSpec.branch }, pageAdmissionWait());
    if (r.kind === 'error') throw pageRefused(r.code, r.message);
    if (r.kind !== 'compare') throw pageNotFound(`unexpected ${r.kind}`);
    compare = r;
    if (r.base.kind === 'branch' && r.head.kind === 'branch')
      merge = await client.mergeability(base, headSpec.branch);
  }
  return {
    page: 'compare',
    compare,
    base,
    head: { repo: refOf(head), branch: headSpec.branch, label: headLabel, cross },
    mergeable: merge && { status: merge.status, conflicts: merge.conflicts },
    pickers: await pickers(actor, repo, head),
  };
}
