// Gitea's Label, Issue and Comment objects.
import { z } from 'zod';
import { named } from '../openapi/named';
import { dateTime, UserRefSchema } from './common';

export const LabelSchema = named(
  'Label',
  z.strictObject({
    id: z.number().int(),
    name: z.string(),
    color: z.string(),
    description: z.string(),
    url: z.string(),
  }),
);
export type Label = z.infer<typeof LabelSchema>;

export const MilestoneSchema = named(
  'Milestone',
  z.strictObject({
    id: z.number().int(),
    title: z.string(),
    description: z.string(),
    state: z.enum(['open', 'closed']),
    open_issues: z.number().int(),
    closed_issues: z.number().int(),
    created_at: dateTime,
    updated_at: dateTime,
    closed_at: dateTime.nullable(),
    due_on: dateTime.nullable(),
  }),
);
export type Milestone = z.infer<typeof MilestoneSchema>;

export const IssueSchema = named(
  'Issue',
  z.strictObject({
    id: z.number().int(),
    url: z.string(),
    html_url: z.string(),
    number: z.number().int(),
    user: UserRefSchema,
    title: z.string(),
    body: z.string(),
    labels: z.array(LabelSchema),
    milestone: MilestoneSchema.nullable(),
    assignee: UserRefSchema.nullable(),
    assignees: z.array(UserRefSchema),
    state: z.enum(['open', 'closed']),
    is_locked: z.boolean(),
    comments: z.number().int(),
    created_at: dateTime,
    updated_at: dateTime,
    closed_at: dateTime.nullable(),
    pull_request: z.strictObject({ html_url: z.string() }).nullable(),
    repository: z.strictObject({
      id: z.number().int(),
      name: z.string(),
      owner: z.string(),
      full_name: z.string(),
    }),
  }),
);
export type Issue = z.infer<typeof IssueSchema>;

export const CommentSchema = named(
  'Comment',
  z.strictObject({
    id: z.number().int(),
    html_url: z.string(),
    issue_url: z.string(),
    pull_request_url: z.string(),
    user: UserRefSchema,
    body: z.string(),
    created_at: dateTime,
    updated_at: dateTime,
  }),
);
export type Comment = z.infer<typeof CommentSchema>;

export const CreateMilestoneOptionSchema = named(
  'CreateMilestoneOption',
  z.object({
    title: z.string(),
    description: z.string().optional(),
    state: z.enum(['open', 'closed']).optional(),
    due_on: dateTime.nullable().optional(),
  }),
);

export const EditMilestoneOptionSchema = named(
  'EditMilestoneOption',
  z.object({
    title: z.string().optional(),
    description: z.string().optional(),
    state: z.enum(['open', 'closed']).optional(),
    due_on: dateTime.nullable().optional(),
  }),
);

export const CreateIssueOptionSchema = named(
  'CreateIssueOption',
  z.object({
    title: z.string(),
    body: z.string().optional(),
    labels: z.array(z.number().int()).optional().describe('label ids'),
    assignees: z.array(z.string()).optional().describe('logins'),
  }),
);

export const EditIssueOptionSchema = named(
  'EditIssueOption',
  z.object({
    title: z.string().optional(),
    body: z.string().optional(),
    state: z.enum(['open', 'closed']).optional(),
    labels: z.array(z.number().int()).optional(),
    assignees: z.array(z.string()).optional(),
  }),
);

export const CreateLabelOptionSchema = named(
  'CreateLabelOption',
  z.object({ name: z.string(), color: z.string(), description: z.string().optional() }),
);
