// Gitea's PushMirror and the options that create one, and merge-upstream's request and answer.
import { z } from 'zod';
import { named } from '../openapi/named';
import { dateTime } from './common';

export const PushMirrorSchema = named(
  'PushMirror',
  z.strictObject({
    repo_name: z.string(),
    remote_name: z.string(),
    remote_address: z.string(),
    created: dateTime,
    last_update: dateTime,
    last_error: z.string(),
    interval: z.string(),
    sync_on_commit: z.boolean(),
  }),
);
export type PushMirror = z.infer<typeof PushMirrorSchema>;

export const CreatePushMirrorOptionSchema = named(
  'CreatePushMirrorOption',
  z.object({
    remote_address: z.string(),
    remote_username: z.string().optional(),
    remote_password: z.string().optional(),
    interval: z.string().optional().describe('a duration such as 8h0m0s; 0 syncs only on demand'),
    sync_on_commit: z.boolean().optional(),
  }),
);

export const MergeUpstreamRequestSchema = named('MergeUpstreamRequest', z.object({ branch: z.string() }));

export const MergeUpstreamResponseSchema = named(
  'MergeUpstreamResponse',
  z.strictObject({ merge_type: z.string().describe('fast-forward, merge or up-to-date') }),
);
