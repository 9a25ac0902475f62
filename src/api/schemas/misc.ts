// Small answers of the server's own (version, settings).
import { z } from 'zod';
import { named } from '../openapi/named';

export const VersionSchema = named('ServerVersion', z.strictObject({ version: z.string() }));

export const GeneralAPISettingsSchema = named(
  'GeneralAPISettings',
  z.strictObject({
    max_response_items: z.number().int(),
    default_paging_num: z.number().int(),
    default_git_trees_per_page: z.number().int(),
    default_max_blob_size: z.number().int(),
    default_max_response_size: z.number().int(),
  }),
);

export const GeneralUISettingsSchema = named(
  'GeneralUISettings',
  z.strictObject({
    default_theme: z.string(),
    allowed_reactions: z.array(z.string()),
    custom_emojis: z.array(z.string()),
  }),
);

export const GeneralRepoSettingsSchema = named(
  'GeneralRepoSettings',
  z.strictObject({
    mirrors_disabled: z.boolean(),
    http_git_disabled: z.boolean(),
    migrations_disabled: z.boolean(),
    stars_disabled: z.boolean(),
    time_tracking_disabled: z.boolean(),
    lfs_disabled: z.boolean(),
  }),
);

export const GeneralAttachmentSettingsSchema = named(
  'GeneralAttachmentSettings',
  z.strictObject({
    enabled: z.boolean(),
    allowed_types: z.string(),
    max_size: z.number().int(),
    max_files: z.number().int(),
  }),
);
