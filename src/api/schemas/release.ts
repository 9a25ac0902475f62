// Gitea's Release and Attachment objects (a release's assets).
import { z } from 'zod';
import { named } from '../openapi/named';
import { dateTime, UserRefSchema } from './common';

export const AttachmentSchema = named(
  'Attachment',
  z.strictObject({
    id: z.number().int(),
    name: z.string(),
    size: z.number().int(),
    download_count: z.number().int(),
    created_at: dateTime,
    uuid: z.string(),
    content_type: z.string(),
    type: z.string(),
    browser_download_url: z.string(),
  }),
);
export type Attachment = z.infer<typeof AttachmentSchema>;

export const ReleaseSchema = named(
  'Release',
  z.strictObject({
    id: z.number().int(),
    tag_name: z.string(),
    target_commitish: z.string(),
    name: z.string(),
    body: z.string(),
    url: z.string(),
    html_url: z.string(),
    tarball_url: z.string(),
    zipball_url: z.string(),
    upload_url: z.string(),
    draft: z.boolean(),
    prerelease: z.boolean(),
    created_at: dateTime,
    published_at: dateTime.nullable(),
    author: UserRefSchema,
    assets: z.array(AttachmentSchema),
  }),
);
export type Release = z.infer<typeof ReleaseSchema>;
