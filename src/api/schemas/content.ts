// Repository content objects: Branch, Tag, Commit, ContentsResponse (Gitea's shapes).
import { z } from 'zod';
import { named } from '../openapi/named';
import { dateTime } from './common';

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

export const CommitSchema = named(
  'Commit',
  z.strictObject({
    sha: z.string(),
    url: z.string(),
    html_url: z.string(),
    created: dateTime,
    commit: z.strictObject({
      message: z.string(),
      author: commitUser,
      committer: commitUser,
      tree: z.strictObject({ sha: z.string() }),
    }),
    parents: z.array(z.strictObject({ sha: z.string(), url: z.string() })),
  }),
);
export type Commit = z.infer<typeof CommitSchema>;

const entryFields = {
  name: z.string(),
  path: z.string(),
  sha: z.string(),
  type: z.enum(['file', 'dir', 'symlink', 'submodule']),
  size: z.number().int(),
  url: z.string(),
  html_url: z.string(),
  download_url: z.string().nullable(),
};

/** One entry of a directory listing. */
export const ContentsEntrySchema = named('ContentsEntry', z.strictObject(entryFields));
export type ContentsEntry = z.infer<typeof ContentsEntrySchema>;

/** A file's metadata and content (base64), as `GET .../contents/{filepath}` answers for a file. */
export const ContentsResponseSchema = named(
  'ContentsResponse',
  z.strictObject({
    ...entryFields,
    last_commit_sha: z.string(),
    encoding: z.literal('base64').nullable(),
    content: z.string().nullable(),
  }),
);

/** A directory answers its entries; a file, itself with its content. */
export const ContentsAnswerSchema = z.union([z.array(ContentsEntrySchema), ContentsResponseSchema]);
