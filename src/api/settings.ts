// Gitea's global settings endpoints, which clients probe to learn the server's limits and
// features (GET /api/v1/settings/{api,ui,repository,attachment}); public, as in Gitea.
import { Hono } from 'hono';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../services/paging';
import type { AppEnv } from './context';
import { describe } from './openapi/describe';
import {
  GeneralAPISettingsSchema,
  GeneralAttachmentSettingsSchema,
  GeneralRepoSettingsSchema,
  GeneralUISettingsSchema,
} from './schemas/misc';

export const settingsApi = new Hono<AppEnv>();

/** Gitea's default page of git/trees entries. */
const GIT_TREES_PER_PAGE = 1000;

settingsApi.get(
  '/api/v1/settings/api',
  describe({
    summary: "Get the instance's global settings for API",
    tags: ['settings'],
    operationId: 'getGeneralAPISettings',
    responses: { 200: GeneralAPISettingsSchema },
  }),
);
settingsApi.get('/api/v1/settings/api', (c) =>
  c.json({
    max_response_items: MAX_LIMIT,
    default_paging_num: DEFAULT_LIMIT,
    default_git_trees_per_page: GIT_TREES_PER_PAGE,
    default_max_blob_size: 10 * 1024 * 1024,
    default_max_response_size: 50 * 1024 * 1024,
  }),
);

settingsApi.get(
  '/api/v1/settings/ui',
  describe({
    summary: "Get the instance's global settings for UI",
    tags: ['settings'],
    operationId: 'getGeneralUISettings',
    responses: { 200: GeneralUISettingsSchema },
  }),
);
settingsApi.get('/api/v1/settings/ui', (c) =>
  c.json({
    default_theme: 'auto',
    allowed_reactions: ['+1', '-1', 'laugh', 'hooray', 'confused', 'heart', 'rocket', 'eyes'],
    custom_emojis: [],
  }),
);

settingsApi.get(
  '/api/v1/settings/repository',
  describe({
    summary: "Get the instance's global settings for repository",
    tags: ['settings'],
    operationId: 'getGeneralRepositorySettings',
    responses: { 200: GeneralRepoSettingsSchema },
  }),
);
settingsApi.get('/api/v1/settings/repository', (c) =>
  c.json({
    mirrors_disabled: true,
    http_git_disabled: false,
    migrations_disabled: true,
    stars_disabled: true,
    time_tracking_disabled: true,
    lfs_disabled: true,
  }),
);

settingsApi.get(
  '/api/v1/settings/attachment',
  describe({
    summary: "Get the instance's global settings for attachment",
    tags: ['settings'],
    operationId: 'getGeneralAttachmentSettings',
    responses: { 200: GeneralAttachmentSettingsSchema },
  }),
);
settingsApi.get('/api/v1/settings/attachment', (c) =>
  c.json({ enabled: false, allowed_types: '', max_size: 0, max_files: 0 }),
);
