// Gitea's PullRequest object (as GitHub's), with the mergeability this server computes.
import { z } from 'zod';
import { named } from '../openapi/named';
import { dateTime, UserRefSchema } from './common';
import { LabelSchema, MilestoneSchema } from './issue';

const repoRef = z.strictObject({
  id: z.number().int(),
  name: z.string(),
  full_name: z.string(),
  owner: z.strictObject({ login: z.string() }),
});
/** A fork's repository as a head carries it (no id: the fork may be gone). */
const forkRef = z.strictObject({
  full_name: z.string(),
  name: z.string(),
  owner: z.strictObject({ login: z.string() }),
});

export const PRBranchInfoSchema = named(
  'PRBranchInfo',
  z.strictObject({
    label: z.string(),
    ref: z.string(),
    sha: z.string(),
    repo: z.union([repoRef, forkRef]).nullable().optional(),
    deleted: z.boolean(),
  }),
);

export const PullRequestSchema = named(
  'PullRequest',
  z.strictObject({
    id: z.number().int(),
    number: z.number().int(),
    url: z.string(),
    html_url: z.string(),
    diff_url: z.string(),
    user: UserRefSchema,
    title: z.string(),
    body: z.string(),
    labels: z.array(LabelSchema),
    milestone: MilestoneSchema.nullable(),
    assignees: z.array(UserRefSchema),
    state: z.enum(['open', 'closed']),
    comments: z.number().int(),
    created_at: dateTime,
    updated_at: dateTime,
    closed_at: dateTime.nullable(),
    mergeable: z.boolean(),
    mergeable_state: z.enum([
      'mergeable',
      'conflict',
      'up_to_date',
      'unrelated',
      'missing',
      'unknown',
      'merged',
      'branch_deleted',
    ]),
    conflicting_files: z.array(z.string()),
    mergeable_reason: z.string().nullable().describe("not Gitea's: why mergeable_state is unknown"),
    merged: z.boolean(),
    merged_at: dateTime.nullable(),
    merged_by: z.strictObject({ login: z.string(), username: z.string() }).nullable(),
    merge_commit_sha: z.string().nullable(),
    merge_style: z.string().nullable(),
    merge_base: z.string().nullable(),
    head: PRBranchInfoSchema,
    base: PRBranchInfoSchema,
  }),
);
export type PullRequest = z.infer<typeof PullRequestSchema>;

export const CreatePullRequestOptionSchema = named(
  'CreatePullRequestOption',
  z.object({
    title: z.string(),
    head: z.string().describe('branch, or owner:branch for a fork'),
    base: z.string(),
    body: z.string().optional(),
    labels: z.array(z.number().int()).optional(),
    assignees: z.array(z.string()).optional(),
  }),
);

export const MergePullRequestOptionSchema = named(
  'MergePullRequestOption',
  z.object({
    Do: z.enum(['merge', 'rebase', 'squash', 'fast-forward-only']),
    MergeTitleField: z.string().optional(),
    MergeMessageField: z.string().optional(),
    head_commit_id: z.string().optional(),
  }),
);
