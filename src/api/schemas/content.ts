// Repository content objects: Branch, Tag, Commit, ContentsResponse (Gitea's shapes).
import { z } from 'zod';
import { named } from '../openapi/named';
import { dateTime } from './common';
import { UserSchema } from './user';

const identity = z.strictObject({ name: z.string(), email: z.string(), username: z.string() });

export const PayloadCommitVerificationSchema = named(
  'PayloadCommitVerification',
  z.strictObject({
    verified: z.boolean(),
    reason: z.string(),
    signature: z.string(),
    signer: z.null(),
    payload: z.string(),
  }),
);

export const BranchSchema = named(
  'Branch',
  z.strictObject({
    name: z.string(),
    commit: z.strictObject({
      id: z.string(),
      message: z.string(),
      url: z.string(),
      author: identity,
      committer: identity,
      verification: PayloadCommitVerificationSchema,
      timestamp: dateTime,
      added: z.null(),
      removed: z.null(),
      modified: z.null(),
    }),
    protected: z.boolean(),
    required_approvals: z.number().int(),
    enable_status_check: z.boolean(),
    status_check_contexts: z.array(z.string()).readonly(),
    user_can_push: z.boolean(),
    user_can_merge: z.boolean(),
    effective_branch_protection_name: z.string(),
  }),
);
export type Branch = z.infer<typeof BranchSchema>;

export const TagSchema = named(
  'Tag',
  z.strictObject({
    name: z.string(),
    message: z.string(),
    id: z.string(),
    commit: z.strictObject({ sha: z.string(), url: z.string() }),
    zipball_url: z.string(),
    tarball_url: z.string(),
  }),
);
export type Tag = z.infer<typeof TagSchema>;

const commitUser = z.strictObject({ name: z.string(), email: z.string(), date: dateTime });
const commitLink = z.strictObject({ url: z.string(), sha: z.string() });
const treeLink = z.strictObject({ url: z.string(), sha: z.string(), created: dateTime });

export const CommitAffectedFilesSchema = named(
  'CommitAffectedFiles',
  z.strictObject({ filename: z.string(), status: z.string().describe('added, removed or modified') }),
);

export const CommitStatsSchema = named(
  'CommitStats',
  z.strictObject({ total: z.number().int(), additions: z.number().int(), deletions: z.number().int() }),
);

/** `files` and `stats` are there when asked (the single commit's `stat`/`files`, on by default). */
export const CommitSchema = named(
  'Commit',
  z.strictObject({
    url: z.string(),
    sha: z.string(),
    created: dateTime,
    html_url: z.string(),
    commit: z.strictObject({
      url: z.string(),
      author: commitUser,
      committer: commitUser,
      message: z.string(),
      tree: treeLink,
      verification: PayloadCommitVerificationSchema,
    }),
    // The accounts the commit's emails belong to (Gitea links them by email), else null.
    author: UserSchema.nullable(),
    committer: UserSchema.nullable(),
    parents: z.array(commitLink),
    files: z.array(CommitAffectedFilesSchema).optional(),
    stats: CommitStatsSchema.optional(),
  }),
);
export type Commit = z.infer<typeof CommitSchema>;

/** A file's or directory entry's metadata; a file read alone also carries its content (base64). */
export const ContentsResponseSchema = named(
  'ContentsResponse',
  z.strictObject({
    name: z.string(),
    path: z.string(),
    sha: z.string(),
    last_commit_sha: z.string().nullable(),
    type: z.enum(['file', 'dir', 'symlink', 'submodule']),
    size: z.number().int(),
    encoding: z.literal('base64').nullable(),
    content: z.string().nullable(),
    target: z.string().nullable().describe("a symlink's target"),
    url: z.string(),
    html_url: z.string(),
    git_url: z.string().nullable(),
    download_url: z.string().nullable(),
    submodule_git_url: z.null(),
    _links: z.strictObject({ self: z.string(), git: z.string().nullable(), html: z.string() }),
  }),
);
export type ContentsResponse = z.infer<typeof ContentsResponseSchema>;

/** A directory answers its entries; a file, itself with its content. */
export const ContentsAnswerSchema = z.union([z.array(ContentsResponseSchema), ContentsResponseSchema]);
