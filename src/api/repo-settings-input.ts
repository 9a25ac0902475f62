// Gitea's EditRepoOption fields that are repository settings (PATCH /repos/{owner}/{repo}).
import { GITEA_MERGE_STYLES, type GiteaMergeStyle, type RepoSettings } from '../db/repo-settings';
import { type JsonObject, optionalBoolean, optionalString } from './body';
import { invalid } from './errors';

const BOOLEANS: [string, keyof RepoSettings][] = [
  ['has_issues', 'hasIssues'],
  ['has_pull_requests', 'hasPullRequests'],
  ['allow_merge_commits', 'allowMergeCommits'],
  ['allow_rebase', 'allowRebase'],
  ['allow_rebase_explicit', 'allowRebaseExplicit'],
  ['allow_squash_merge', 'allowSquashMerge'],
  ['allow_fast_forward_only_merge', 'allowFastForwardOnlyMerge'],
  ['allow_rebase_update', 'allowRebaseUpdate'],
  ['default_delete_branch_after_merge', 'defaultDeleteBranchAfterMerge'],
  ['default_allow_maintainer_edit', 'defaultAllowMaintainerEdit'],
  ['ignore_whitespace_conflicts', 'ignoreWhitespaceConflicts'],
  ['archived', 'archived'],
];

const WEBSITE_MAX = 2048;

/** The settings a PATCH body changes (absent fields stay as they are). */
export function settingsChanges(body: JsonObject, current: RepoSettings): Partial<RepoSettings> {
  const out: Partial<RepoSettings> = {};
  const flags = out as Partial<Record<keyof RepoSettings, boolean>>;
  for (const [field, key] of BOOLEANS) {
    const v = optionalBoolean(body, field);
    if (v !== undefined) flags[key] = v;
  }
  if (out.allowRebaseExplicit === true) {
    throw invalid('allow_rebase_explicit: rebase followed by a merge commit is not supported by this server');
  }
  const style = optionalString(body, 'default_merge_style', 32);
  if (style !== undefined && style !== '') {
    if (!(GITEA_MERGE_STYLES as readonly string[]).includes(style) || style === 'rebase-merge') {
      throw invalid(`default_merge_style must be one of merge, rebase, squash, fast-forward-only`);
    }
    out.defaultMergeStyle = style as GiteaMergeStyle;
  }
  const website = optionalString(body, 'website', WEBSITE_MAX);
  if (website !== undefined) {
    if (website !== '' && !/^https?:\/\/[^\s]+$/i.test(website))
      throw invalid('website must be an http(s) URL');
    out.website = website;
  }
  if (out.archived !== undefined && out.archived !== current.archived) {
    out.archivedAt = out.archived ? new Date().toISOString() : null;
  }
  return out;
}
