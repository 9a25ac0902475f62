// Gitea's Repository object (every field, Gitea's empty values for features not here).
import { z } from 'zod';
import { named } from '../openapi/named';
import { dateTime, PermissionSchema } from './common';
import { UserSchema } from './user';

/** A fork's parent: the fields clients read of it (Gitea gives the whole repository object). */
export const RepositoryParentSchema = named(
  'RepositoryParent',
  z.strictObject({
    id: z.number().int(),
    name: z.string(),
    full_name: z.string(),
    private: z.boolean(),
    clone_url: z.string(),
    html_url: z.string(),
    owner: z.strictObject({ login: z.string(), username: z.string() }),
  }),
);

export type RepositoryParent = z.infer<typeof RepositoryParentSchema>;

export const InternalTrackerSchema = named(
  'InternalTracker',
  z.strictObject({
    enable_time_tracker: z.boolean(),
    allow_only_contributors_to_track_time: z.boolean(),
    enable_issue_dependencies: z.boolean(),
  }),
);

export const RepositorySchema = named(
  'Repository',
  z.strictObject({
    id: z.number().int(),
    owner: UserSchema,
    name: z.string(),
    full_name: z.string(),
    description: z.string(),
    empty: z.boolean(),
    private: z.boolean(),
    fork: z.boolean(),
    template: z.boolean(),
    parent: RepositoryParentSchema.nullable(),
    mirror: z.boolean(),
    size: z.number().int(),
    language: z.string(),
    languages_url: z.string(),
    html_url: z.string(),
    url: z.string(),
    link: z.string(),
    ssh_url: z.string(),
    clone_url: z.string(),
    original_url: z.string(),
    website: z.string(),
    stars_count: z.number().int(),
    forks_count: z.number().int(),
    watchers_count: z.number().int(),
    open_issues_count: z.number().int(),
    open_pr_counter: z.number().int(),
    release_counter: z.number().int(),
    default_branch: z.string(),
    archived: z.boolean(),
    created_at: dateTime,
    updated_at: dateTime,
    archived_at: dateTime,
    permissions: PermissionSchema,
    has_issues: z.boolean(),
    internal_tracker: InternalTrackerSchema.nullable(),
    has_wiki: z.boolean(),
    has_pull_requests: z.boolean(),
    has_projects: z.boolean(),
    projects_mode: z.string(),
    has_releases: z.boolean(),
    has_packages: z.boolean(),
    has_actions: z.boolean(),
    ignore_whitespace_conflicts: z.boolean(),
    allow_merge_commits: z.boolean(),
    allow_rebase: z.boolean(),
    allow_rebase_explicit: z.boolean(),
    allow_squash_merge: z.boolean(),
    allow_fast_forward_only_merge: z.boolean(),
    allow_rebase_update: z.boolean(),
    default_delete_branch_after_merge: z.boolean(),
    default_merge_style: z.string(),
    default_allow_maintainer_edit: z.boolean(),
    avatar_url: z.string(),
    internal: z.boolean(),
    mirror_interval: z.string(),
    object_format_name: z.string(),
    mirror_updated: dateTime,
    repo_transfer: z.null(),
    topics: z.array(z.string()),
    licenses: z.array(z.string()),
    // Not Gitea's: a migrated repository's state, on the answers about one repository only.
    migration_status: z.enum(['running', 'failed', 'done']).nullable().optional(),
    migration_error: z.string().nullable().optional(),
  }),
);
export type Repository = z.infer<typeof RepositorySchema>;

export const TopicNamesSchema = named('TopicName', z.strictObject({ topics: z.array(z.string()) }));

export const CollaboratorSchema = named(
  'Collaborator',
  z.strictObject({
    id: z.number().int(),
    login: z.string(),
    username: z.string(),
    full_name: z.string(),
    permissions: PermissionSchema,
    role_name: z.string(),
  }),
);
export type Collaborator = z.infer<typeof CollaboratorSchema>;

export const RepoCollaboratorPermissionSchema = named(
  'RepoCollaboratorPermission',
  z.strictObject({
    permission: z.string(),
    role_name: z.string(),
    user: z.strictObject({ id: z.number().int(), login: z.string() }),
  }),
);

/** `GET /repos/search`: Gitea's SearchResults. */
export const SearchResultsSchema = named(
  'SearchResults',
  z.strictObject({ ok: z.boolean(), data: z.array(RepositorySchema) }),
);

export const CreateRepoOptionSchema = named(
  'CreateRepoOption',
  z.object({
    name: z.string(),
    description: z.string().optional(),
    private: z.boolean().optional(),
    default_branch: z.string().optional(),
  }),
);

const settingFlags = [
  'has_issues',
  'has_pull_requests',
  'allow_merge_commits',
  'allow_rebase',
  'allow_rebase_explicit',
  'allow_squash_merge',
  'allow_fast_forward_only_merge',
  'allow_rebase_update',
  'default_delete_branch_after_merge',
  'default_allow_maintainer_edit',
  'ignore_whitespace_conflicts',
  'archived',
] as const;

export const EditRepoOptionSchema = named(
  'EditRepoOption',
  z.object({
    name: z.string().optional(),
    description: z.string().optional(),
    private: z.boolean().optional(),
    default_branch: z.string().optional(),
    website: z.string().optional(),
    default_merge_style: z.string().optional(),
    mirror_interval: z
      .string()
      .optional()
      .describe("a pull mirror's sync interval, such as 8h0m0s (0: on demand)"),
    ...Object.fromEntries(settingFlags.map((f) => [f, z.boolean().optional()])),
  }),
);

/** Not Gitea's: the git data's storage, for the repository's admins. */
export const GitStatsSchema = named(
  'GitStats',
  z.strictObject({
    live_packs: z.number().int(),
    retired_packs: z.number().int(),
    objects: z.number().int(),
    pack_bytes: z.number().int(),
    cached_pack: z.array(z.strictObject({ packs: z.number().int(), objects: z.number().int() })),
    merge_checks: z.strictObject({ cached: z.number().int(), computed: z.number().int() }),
    admission: z
      .strictObject({
        reserved_mib: z.number().int(),
        running: z
          .record(z.string(), z.number().int())
          .describe('operations admitted and not finished, by kind'),
        waiting: z.number().int(),
        waited: z.number().int(),
      })
      .describe("the git work admitted in this repository's object (memory reserved, running, waiting)"),
    pack_copies: z
      .strictObject({ copied: z.number().int(), retiring: z.number().int(), served: z.number().int() })
      .describe(
        "the cached pack's packs copied to R2, copies waiting for deletion, whole clones the Worker streamed from them since the object started",
      ),
    alarms: z
      .record(z.string(), z.string())
      .describe(
        'when each kind of background work is due next (compact, mirror, push_mirror, pack_copy, import)',
      ),
    import_steps: z.number().int().describe("steps of a migration's import the repository's alarm has run"),
    spill: z
      .strictObject({ written: z.number().int(), held: z.number().int() })
      .describe(
        'chunks of ids pushes spilled to SQLite past their bounded set in memory since the object started, and those still stored (none once each push is done)',
      ),
  }),
);

export const MigrateRepoOptionsSchema = named(
  'MigrateRepoOptions',
  z.object({
    clone_addr: z.string(),
    repo_name: z.string(),
    repo_owner: z.string().optional().describe('the user or organization that receives the repository'),
    service: z
      .enum(['git', 'gitea', 'forgejo'])
      .optional()
      .describe(
        'git (the default) copies the git data; gitea and forgejo also import what the flags below ask',
      ),
    auth_username: z.string().optional(),
    auth_password: z.string().optional(),
    auth_token: z.string().optional(),
    mirror: z.boolean().optional(),
    mirror_interval: z.string().optional().describe('a duration such as 8h0m0s'),
    private: z.boolean().optional(),
    description: z.string().optional(),
    labels: z.boolean().optional().describe('gitea service: import the labels'),
    milestones: z.boolean().optional().describe('gitea service: import the milestones'),
    issues: z.boolean().optional().describe('gitea service: import the issues'),
    pull_requests: z.boolean().optional().describe('gitea service: import the pull requests'),
    releases: z.boolean().optional().describe('gitea service: import the releases'),
    wiki: z.boolean().optional().describe('accepted, not imported'),
  }),
);
