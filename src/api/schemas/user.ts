// Gitea's User object, and the caller's own settings.
import { z } from 'zod';
import { named } from '../openapi/named';
import { dateTime } from './common';

export const UserSchema = named(
  'User',
  z.strictObject({
    id: z.number().int(),
    login: z.string(),
    login_name: z.string(),
    source_id: z.number().int(),
    full_name: z.string(),
    email: z.string(),
    avatar_url: z.string(),
    html_url: z.string(),
    language: z.string(),
    is_admin: z.boolean(),
    last_login: dateTime,
    created: dateTime,
    restricted: z.boolean(),
    active: z.boolean(),
    prohibit_login: z.boolean(),
    location: z.string(),
    website: z.string(),
    description: z.string(),
    visibility: z.string(),
    followers_count: z.number().int(),
    following_count: z.number().int(),
    starred_repos_count: z.number().int(),
    username: z.string(),
  }),
);
export type User = z.infer<typeof UserSchema>;

export const UserSettingsSchema = named(
  'UserSettings',
  z.strictObject({ full_name: z.string(), hide_email: z.boolean(), keep_email_private: z.boolean() }),
);
export type UserSettings = z.infer<typeof UserSettingsSchema>;

export const AccessTokenSchema = named(
  'AccessToken',
  z.strictObject({
    id: z.number().int(),
    name: z.string(),
    sha1: z.string().describe('the token itself, only in the answer to its creation'),
    token_last_eight: z.string(),
    scopes: z.array(z.string()),
    created_at: dateTime,
    last_used_at: dateTime.nullable(),
    expires_at: dateTime.nullable(),
  }),
);
export type AccessToken = z.infer<typeof AccessTokenSchema>;

export const CreateAccessTokenOptionSchema = named(
  'CreateAccessTokenOption',
  z.object({ name: z.string(), scopes: z.array(z.string()).optional(), expires_at: dateTime.optional() }),
);
