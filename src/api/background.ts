// The repository's background work (its object's alarm: compaction, a mirror's sync, push
// mirrors, a migration's import steps) run now, for the repository's admins: not in Gitea's API.
// It runs what is due at the request's time, which tests set with their clock (src/auth/clock.ts)
// to see a mirror's interval or a rate limit's wait elapse without waiting for it.
import { Hono } from 'hono';
import { z } from 'zod';
import { credentialTime } from '../auth/clock';
import { repoClient } from '../services/repo-client';
import { type AppEnv, requireRepo } from './context';
import { describe } from './openapi/describe';

export const backgroundApi = new Hono<AppEnv>();

backgroundApi.post(
  '/api/v1/repos/:owner/:repo/git/alarm',
  describe({
    summary: 'Run the repository’s background work that is due now, for admins (not Gitea’s)',
    tags: ['repository'],
    responses: {
      200: z.strictObject({
        ran: z.array(z.string()).describe('the kinds of work run (see git/stats alarms)'),
      }),
    },
  }),
);
backgroundApi.post('/api/v1/repos/:owner/:repo/git/alarm', async (c) => {
  const { repo } = await requireRepo(c, c.req.param('owner'), c.req.param('repo'), 'admin');
  const now = credentialTime(c.req.raw, c.env).getTime();
  return c.json({ ran: await repoClient(c.env, repo).runDue(now) });
});
