// Gitea's git data objects (Reference, GitTreeResponse, GitBlobResponse) and the contents write
// API's options and answers (FileResponse, FilesResponse, FileDeleteResponse).
import { z } from 'zod';
import { named } from '../openapi/named';
import { dateTime } from './common';
import { ContentsResponseSchema, PayloadCommitVerificationSchema } from './content';

export const ReferenceSchema = named(
  'Reference',
  z.strictObject({
    ref: z.string(),
    url: z.string(),
    object: z.strictObject({ type: z.string(), sha: z.string(), url: z.string() }),
  }),
);
export type Reference = z.infer<typeof ReferenceSchema>;

export const GitEntrySchema = named(
  'GitEntry',
  z.strictObject({
    path: z.string(),
    mode: z.string(),
    type: z.string(),
    size: z.number().int(),
    sha: z.string(),
    url: z.string(),
  }),
);

export const GitTreeResponseSchema = named(
  'GitTreeResponse',
  z.strictObject({
    sha: z.string(),
    url: z.string(),
    tree: z.array(GitEntrySchema).nullable().describe('null past the last page'),
    truncated: z.boolean(),
    page: z.number().int(),
    total_count: z.number().int(),
  }),
);
export type GitTreeResponse = z.infer<typeof GitTreeResponseSchema>;

export const GitBlobResponseSchema = named(
  'GitBlobResponse',
  z.strictObject({
    content: z.string().nullable().describe('base64; null for a blob over the inline cap (read it from raw)'),
    encoding: z.string().nullable(),
    url: z.string(),
    sha: z.string(),
    size: z.number().int(),
  }),
);
export type GitBlobResponse = z.infer<typeof GitBlobResponseSchema>;

const commitUser = z.strictObject({ name: z.string(), email: z.string(), date: dateTime });

export const FileCommitResponseSchema = named(
  'FileCommitResponse',
  z.strictObject({
    url: z.string(),
    sha: z.string(),
    created: dateTime,
    html_url: z.string(),
    author: commitUser,
    committer: commitUser,
    parents: z.array(z.strictObject({ url: z.string(), sha: z.string() })),
    message: z.string(),
    tree: z.strictObject({ url: z.string(), sha: z.string(), created: dateTime }),
  }),
);
export type FileCommitResponse = z.infer<typeof FileCommitResponseSchema>;

/** One file's create or update (FileResponse) or delete (FileDeleteResponse, `content` null). */
export const FileResponseSchema = named(
  'FileResponse',
  z.strictObject({
    content: ContentsResponseSchema.nullable(),
    commit: FileCommitResponseSchema,
    verification: PayloadCommitVerificationSchema,
  }),
);

export const FilesResponseSchema = named(
  'FilesResponse',
  z.strictObject({
    files: z.array(ContentsResponseSchema.nullable()).describe('null for a deleted file'),
    commit: FileCommitResponseSchema,
    verification: PayloadCommitVerificationSchema,
  }),
);

const identity = z.object({ name: z.string().optional(), email: z.string().optional() });
const commitOptions = {
  message: z.string().optional().describe('commit message; a default one names the changed files'),
  branch: z.string().optional().describe('branch to base the commit on; the default branch when absent'),
  new_branch: z.string().optional().describe('a new branch made from `branch` that receives the commit'),
  author: identity.optional(),
  committer: identity.optional(),
  dates: z.object({ author: dateTime.optional(), committer: dateTime.optional() }).optional(),
  signoff: z.boolean().optional(),
};

export const CreateFileOptionsSchema = named(
  'CreateFileOptions',
  z.object({ ...commitOptions, content: z.string().describe('content, base64 encoded') }),
);

export const UpdateFileOptionsSchema = named(
  'UpdateFileOptions',
  z.object({
    ...commitOptions,
    content: z.string().describe('content, base64 encoded'),
    sha: z.string().describe('the blob id of the file being replaced'),
    from_path: z.string().optional().describe('the path the file is moved from'),
  }),
);

export const DeleteFileOptionsSchema = named(
  'DeleteFileOptions',
  z.object({ ...commitOptions, sha: z.string().describe('the blob id of the file being deleted') }),
);

export const ChangeFilesOptionsSchema = named(
  'ChangeFilesOptions',
  z.object({
    ...commitOptions,
    files: z.array(
      z.object({
        operation: z.enum(['create', 'update', 'delete']),
        path: z.string(),
        content: z.string().optional().describe('content, base64 encoded'),
        sha: z.string().optional().describe('the blob id of the file updated or deleted'),
        from_path: z.string().optional(),
      }),
    ),
  }),
);
