/**
 * The frame every repository page loads through: it authenticates the page's caller (a token's
 * scopes cap what it sees, as on the API), asks the one permission function, answers 404 for a
 * repository the caller may not see (or may not administer, for a page that needs it), builds the
 * repository view the page's header shows, and runs the page's own action with what it resolved.
 */
import { env } from 'cloudflare:workers';
import { getRequest } from '@tanstack/react-start/server';
import { type Actor, authenticatePage } from '../../../auth/authenticate';
import { can, type Permission, type RepoAction, repoPermission } from '../../../auth/permission';
import { findImport } from '../../../db/migration-import';
import { findMirror } from '../../../db/mirrors';
import { findRepoSetting, GITEA_MERGE_STYLES, isMergeStyleAllowed } from '../../../db/repo-settings';
import type { RepoRecord } from '../../../db/repos';
import { BrowseError, type BrowseErrorCode } from '../../../git/browse/errors';
import { admissionWaitOf } from '../../../services/admission-wait';
import { repoClient } from '../../../services/repo-client';
import { markPageBusy } from '../../busy-answer';
import { repoUrl } from '../urls';
import type { RepoPageExit, RepoPageResponse, RepoSourceView, RepoView } from './view-types';

/** What the frame resolved, for the page's action. */
export interface RepoPage {
  readonly request: Request;
  readonly actor: Actor | null;
  readonly repo: RepoRecord;
  readonly permission: Permission;
}

/** Thrown by a page's action: the page answers this instead of its data. */
export class PageExit extends Error {
  constructor(readonly exit: RepoPageExit) {
    super(exit.status === 'redirect' ? `redirect to ${exit.to}` : exit.message);
    this.name = 'PageExit';
  }
}

export function pageNotFound(message = 'not found'): PageExit {
  return new PageExit({ status: 'not-found', message });
}

/** How long the page's heavy reads may wait for room (a test server's request may name it). */
export function pageAdmissionWait(): number | undefined {
  return admissionWaitOf(getRequest(), env);
}

/** A read the repository refused: a busy repository's 503, anything else missing (404). */
export function pageRefused(code: BrowseErrorCode, message: string): PageExit {
  return new PageExit(code === 'BUSY' ? { status: 'busy', message } : { status: 'not-found', message });
}

export function pageRedirect(to: string): PageExit {
  return new PageExit({ status: 'redirect', to });
}

export interface RepoPageOptions {
  /** The right the page needs beyond reading; short of it the page is missing, as on GitHub. */
  readonly need?: RepoAction;
  /** `/{owner}/{repo}.git` in a browser: send to the name without `.git` when that one is readable. */
  readonly dropGitSuffix?: boolean;
}

async function repoView(request: Request, repo: RepoRecord, permission: Permission): Promise<RepoView> {
  // The object owns HEAD: the default branch comes from it, not from the metadata's copy.
  const [state, source, settings] = await Promise.all([
    repoClient(env, repo).summary(),
    findMirror(env.DB, repo.id),
    findRepoSetting(env.DB, repo.id),
  ]);
  return {
    owner: repo.owner,
    name: repo.name,
    description: repo.description,
    private: repo.private,
    defaultBranch: state.defaultBranch,
    cloneUrl: `${new URL(request.url).origin}${repoUrl(repo)}.git`,
    empty: state.empty,
    canAdmin: can(permission, 'admin'),
    canWrite: can(permission, 'write'),
    parent: repo.parent && { owner: repo.parent.owner, name: repo.parent.name },
    forksCount: repo.forksCount,
    archived: settings.archived,
    mergeStyles: GITEA_MERGE_STYLES.filter((s) => isMergeStyleAllowed(settings, s)),
    defaultMergeStyle: settings.defaultMergeStyle,
    defaultDeleteBranchAfterMerge: settings.defaultDeleteBranchAfterMerge,
    ...(source && {
      source: {
        url: source.cloneAddr,
        mirror: source.mirror,
        status: source.status,
        error: source.error,
        lastSyncAt: source.lastSyncAt,
        intervalSeconds: source.intervalSeconds,
        // How far a Gitea-service import got (read only while one is unfinished).
        progress: source.status === 'done' ? null : await importProgress(repo.id),
        pack: state.fetch ?? null,
      },
    }),
  };
}

async function importProgress(repoId: number): Promise<RepoSourceView['progress']> {
  const record = await findImport(env.DB, repoId);
  return record && { phase: record.phase, imported: record.imported };
}

export async function loadRepoPage<T extends object>(
  input: { readonly owner: string; readonly repo: string },
  action: (page: RepoPage) => Promise<T>,
  options: RepoPageOptions = {},
): Promise<RepoPageResponse<T>> {
  const request = getRequest();
  const actor = await authenticatePage(request, env);
  const viewer = actor ? { username: actor.username } : null;
  const found = await repoPermission(env, actor, input.owner, input.repo);
  if (!found && options.dropGitSuffix && input.repo.endsWith('.git')) {
    const bare = input.repo.slice(0, -4);
    if (await repoPermission(env, actor, input.owner, bare))
      return { status: 'redirect', to: repoUrl({ owner: input.owner, name: bare }) };
  }
  if (!found || !can(found.permission, options.need ?? 'read'))
    return { status: 'not-found', viewer, message: 'repository not found' };
  const { repo, permission } = found;
  try {
    const [view, fields] = await Promise.all([
      repoView(request, repo, permission),
      action({ request, actor, repo, permission }),
    ]);
    return { status: 'ok', viewer, repo: view, ...fields };
  } catch (e) {
    // A read unwrapped with expectKind throws the busy refusal itself.
    const exit = e instanceof BrowseError && e.code === 'BUSY' ? pageRefused(e.code, e.message) : e;
    if (!(exit instanceof PageExit)) throw e;
    if (exit.exit.status === 'busy') markPageBusy();
    return exit.exit.status === 'not-found' ? { ...exit.exit, viewer } : exit.exit;
  }
}
