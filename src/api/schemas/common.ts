// Pieces the API's objects share.
import { z } from 'zod';
import { named } from '../openapi/named';

/** A time as RFC 3339 text (Gitea's `date-time`). */
export const dateTime = z.string().meta({ format: 'date-time' });

/** The short form of a user some objects embed (the author, an assignee). */
export const UserRefSchema = named(
  'UserRef',
  z.strictObject({ id: z.number().int(), login: z.string(), username: z.string() }),
);

/** Gitea's `{admin, push, pull}` of the caller (or a collaborator) on a repository. */
export const PermissionSchema = named(
  'Permission',
  z.strictObject({ admin: z.boolean(), push: z.boolean(), pull: z.boolean() }),
);

/** A list answer's paging headers (`Link` with next/last/first/prev, `X-Total-Count`). */
export const PAGE_HEADERS = ['X-Total-Count', 'Link'];

/** Gitea's `page` (1-based) and `limit` query parameters. */
export const pageQuery = {
  page: z.string().optional().describe('page number of results to return (1-based)'),
  limit: z.string().optional().describe('page size of results'),
};
export type UserRef = z.infer<typeof UserRefSchema>;
