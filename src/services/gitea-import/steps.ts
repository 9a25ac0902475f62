/**
 * One page of one kind of the source's items imported: labels, milestones, issues with their
 * comments, pull requests (state, merge, head and base) with their comments, releases with their
 * assets' bytes. Each item is skipped when its source id was imported before, so a step that
 * failed half-way is simply run again.
 */

import { insertImportedComment, insertImportedIssue, insertImportedMilestone } from '../../db/imported-items';
import { createLabel, findLabelsByNames } from '../../db/labels';
import { type ImportOptions, importedId, importedIds, recordItem } from '../../db/migration-import';
import { createAsset, createRelease, getAssetByName, getReleaseByTag } from '../../db/releases';
import { putStream } from '../../storage/blob-put';
import { pullHeadRef } from '../pull-head';
import { deleteBlobs, maxAssetBytes, newBlobKey } from '../releases';
import { repoClient } from '../repo-client';
import type { Authors } from './authors';
import {
  BODY_MAX,
  clip,
  id,
  type Json,
  list,
  obj,
  optStr,
  optTime,
  state,
  str,
  TITLE_MAX,
  time,
} from './fields';
import { ImportError, type SourceApi, sourceGet, sourcePage } from './source';

export interface StepContext {
  readonly env: Env;
  readonly repoId: number;
  readonly api: SourceApi;
  readonly options: ImportOptions;
  readonly authors: Authors;
}

export type StepKind = 'labels' | 'milestones' | 'issues' | 'pulls' | 'releases';

/** Where an import stands in a phase: the page, the item of it, and the items imported so far. */
export interface Cursor {
  page: number;
  item: number;
  imported: number;
}

/**
 * Imports page `at.page` of `kind` from item `at.item` on, advancing `at` item by item, while
 * `left()` says the step may go on (one item at least, so that every step moves); 'page' when it
 * stopped inside the page, else whether another page follows.
 */
export async function importPage(
  ctx: StepContext,
  kind: StepKind,
  at: Cursor,
  left: () => boolean,
): Promise<'page' | 'next' | 'last'> {
  const path = {
    labels: '/labels',
    milestones: '/milestones?state=all',
    issues: '/issues?state=all&type=issues',
    pulls: '/pulls?state=all',
    releases: '/releases',
  }[kind];
  const { items, next } = await sourcePage(ctx.api, path, at.page);
  for (let first = true; at.item < items.length; first = false) {
    if (!first && !left()) return 'page';
    at.imported += await importItem(ctx, kind, items[at.item]);
    at.item++;
  }
  return next && items.length > 0 ? 'next' : 'last';
}

async function importItem(ctx: StepContext, kind: StepKind, item: Json): Promise<number> {
  switch (kind) {
    case 'labels':
      return importLabel(ctx, item);
    case 'milestones':
      return importMilestone(ctx, item);
    case 'issues':
    case 'pulls':
      return importIssue(ctx, item, kind === 'pulls');
    case 'releases':
      return importRelease(ctx, item);
  }
}

async function importLabel(ctx: StepContext, item: Json): Promise<number> {
  const db = ctx.env.DB;
  const sourceId = id(item);
  if ((await importedId(db, ctx.repoId, 'label', sourceId)) !== null) return 0;
  const name = clip(str(item, 'name').trim(), 50);
  if (!name) return 0;
  const color = /^#?[0-9a-fA-F]{6}$/.test(str(item, 'color'))
    ? str(item, 'color').replace('#', '').toLowerCase()
    : 'cccccc';
  const made = await createLabel(db, {
    repoId: ctx.repoId,
    name,
    color,
    description: clip(str(item, 'description'), 200),
  });
  // A label of that name already here (an earlier attempt's, or one made meanwhile) is the one.
  const localId = made?.id ?? (await findLabelsByNames(db, ctx.repoId, [name.toLowerCase()]))[0]?.id;
  if (localId === undefined) throw new ImportError(`label ${name} could not be created`);
  await recordItem(db, ctx.repoId, 'label', sourceId, localId).run();
  return 1;
}

async function importMilestone(ctx: StepContext, item: Json): Promise<number> {
  const sourceId = id(item);
  if ((await importedId(ctx.env.DB, ctx.repoId, 'milestone', sourceId)) !== null) return 0;
  const now = new Date().toISOString();
  const closed = state(item) === 'closed';
  await insertImportedMilestone(ctx.env.DB, ctx.repoId, {
    sourceId,
    title: clip(str(item, 'title').trim() || `milestone ${sourceId}`, TITLE_MAX),
    description: clip(str(item, 'description'), BODY_MAX),
    state: state(item),
    dueOn: optTime(item, 'due_on'),
    createdAt: time(item, 'created_at', now),
    updatedAt: time(item, 'updated_at', now),
    closedAt: closed ? time(item, 'closed_at', now) : null,
  });
  return 1;
}

async function importIssue(ctx: StepContext, item: Json, isPull: boolean): Promise<number> {
  const db = ctx.env.DB;
  const sourceId = id(item);
  const number = id(item, 'number');
  let count = 0;
  if ((await importedId(db, ctx.repoId, 'issue', sourceId)) === null) {
    const [labels, milestones] = await Promise.all([
      importedIds(db, ctx.repoId, 'label'),
      importedIds(db, ctx.repoId, 'milestone'),
    ]);
    const { authorId, body } = await ctx.authors.resolve(item, clip(str(item, 'body'), BODY_MAX));
    const now = new Date().toISOString();
    const milestone = obj(item, 'milestone');
    const labelIds = list(item, 'labels').flatMap((l) => {
      const local = typeof l.id === 'number' ? labels.get(l.id) : undefined;
      return local === undefined ? [] : [local];
    });
    const head = obj(item, 'head') ?? {};
    const base = obj(item, 'base') ?? {};
    await insertImportedIssue(
      db,
      ctx.repoId,
      {
        sourceId,
        number,
        authorId,
        title: clip(str(item, 'title').trim() || `#${number}`, TITLE_MAX),
        body,
        state: state(item),
        createdAt: time(item, 'created_at', now),
        updatedAt: time(item, 'updated_at', now),
        closedAt: state(item) === 'closed' ? time(item, 'closed_at', now) : null,
        milestoneId:
          milestone && typeof milestone.id === 'number' ? (milestones.get(milestone.id) ?? null) : null,
        labelIds: [...new Set(labelIds)],
      },
      isPull
        ? {
            headBranch: str(head, 'ref'),
            baseBranch: str(base, 'ref'),
            headSha: str(head, 'sha'),
            baseSha: str(base, 'sha'),
            mergeBase: optStr(item, 'merge_base'),
            merged: item.merged === true,
            mergedAt: item.merged === true ? optTime(item, 'merged_at') : null,
            mergeCommitSha: optStr(item, 'merge_commit_sha'),
          }
        : null,
    );
    count++;
  }
  if (isPull) await keepPullHead(ctx, number, str(obj(item, 'head') ?? {}, 'sha'));
  if (typeof item.comments === 'number' && item.comments > 0)
    count += await importComments(ctx, number, sourceId);
  return count;
}

/**
 * `refs/pull/{n}/head` at the pull request's head commit: fetched with the git data when the
 * source advertises it (Gitea does); else set here when the commit came with a branch.
 */
async function keepPullHead(ctx: StepContext, number: number, sha: string): Promise<void> {
  if (!/^[0-9a-f]{40}$/.test(sha)) return;
  const client = repoClient(ctx.env, { id: ctx.repoId });
  const ref = pullHeadRef(number);
  if ((await client.refTip(ref)) === sha) return;
  // The source lost the commit (a closed pull request's deleted branch): the pull request stays.
  if ((await client.browse({ kind: 'commit', sha })).kind !== 'commit') return;
  // Held here already, so the ref is set without fetching from anywhere.
  const r = await client.fetchRef(ctx.repoId, sha, ref);
  if (!r.ok) console.warn(`migration: pull #${number}'s head ${sha} is not in the repository: ${r.reason}`);
}

async function importComments(ctx: StepContext, number: number, sourceIssueId: number): Promise<number> {
  const db = ctx.env.DB;
  const issueId = await importedId(db, ctx.repoId, 'issue', sourceIssueId);
  if (issueId === null) return 0;
  let count = 0;
  let firstOfLast: unknown;
  for (let page = 1; page <= 100; page++) {
    const { items, next } = await sourcePage(ctx.api, `/issues/${number}/comments`, page);
    // A server that does not page comments answers the same list for every page.
    if (items.length === 0 || items[0].id === firstOfLast) break;
    firstOfLast = items[0].id;
    for (const c of items) {
      const sourceId = id(c);
      if ((await importedId(db, ctx.repoId, 'comment', sourceId)) !== null) continue;
      const { authorId, body } = await ctx.authors.resolve(c, clip(str(c, 'body'), BODY_MAX));
      const now = new Date().toISOString();
      await insertImportedComment(db, ctx.repoId, {
        sourceId,
        issueId,
        authorId,
        body,
        createdAt: time(c, 'created_at', now),
        updatedAt: time(c, 'updated_at', now),
      });
      count++;
    }
    if (!next) break;
  }
  return count;
}

async function importRelease(ctx: StepContext, item: Json): Promise<number> {
  const db = ctx.env.DB;
  const sourceId = id(item);
  const tag = str(item, 'tag_name');
  if (!tag) return 0;
  let count = 0;
  let releaseId = await importedId(db, ctx.repoId, 'release', sourceId);
  if (releaseId === null) {
    const { authorId, body } = await ctx.authors.resolve(
      obj(item, 'author') ? { user: item.author } : item,
      clip(str(item, 'body'), BODY_MAX),
    );
    const made = await createRelease(db, {
      repoId: ctx.repoId,
      tagName: tag,
      target: str(item, 'target_commitish'),
      name: clip(str(item, 'name'), TITLE_MAX),
      body,
      draft: item.draft === true,
      prerelease: item.prerelease === true,
      authorId,
    });
    releaseId = made === 'conflict' ? ((await getReleaseByTag(db, ctx.repoId, tag))?.id ?? null) : made;
    if (releaseId === null) throw new ImportError(`release ${tag} could not be created`);
    await recordItem(db, ctx.repoId, 'release', sourceId, releaseId).run();
    count++;
  }
  for (const asset of list(item, 'assets')) count += await importAsset(ctx, releaseId, asset);
  return count;
}

/** An asset's bytes streamed from the source to R2 (never held whole), then its row. */
async function importAsset(ctx: StepContext, releaseId: number, asset: Json): Promise<number> {
  const db = ctx.env.DB;
  const sourceId = id(asset);
  if ((await importedId(db, ctx.repoId, 'asset', sourceId)) !== null) return 0;
  const name = clip(str(asset, 'name'), 255);
  const url = str(asset, 'browser_download_url');
  if (!name || !url) return 0;
  const existing = await getAssetByName(db, releaseId, name);
  if (existing) {
    await recordItem(db, ctx.repoId, 'asset', sourceId, existing.id).run();
    return 0;
  }
  const res = await sourceGet(ctx.api, url, '*/*');
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    throw new ImportError(`the source answered ${res.status} to the asset ${name}`);
  }
  const key = newBlobKey(ctx.repoId);
  const contentType = res.headers.get('content-type') ?? 'application/octet-stream';
  const stored = await putStream(ctx.env.BLOBS, key, res.body, { maxBytes: maxAssetBytes(ctx.env) });
  if (stored.kind === 'too_large')
    throw new ImportError(`the asset ${name} is larger than this server keeps`);
  const made = await createAsset(db, {
    releaseId,
    repoId: ctx.repoId,
    name,
    size: stored.size,
    contentType: contentType.split(';')[0].trim() || 'application/octet-stream',
    blobKey: key,
    uploaderId: ctx.options.migratorId,
  });
  if (made === 'conflict') {
    await deleteBlobs(ctx.env, [key]);
    return 0;
  }
  await recordItem(db, ctx.repoId, 'asset', sourceId, made.id).run();
  return 1;
}
