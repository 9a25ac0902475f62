// The HTTP API (/api/*): Better Auth at /api/auth, Gitea-shaped REST at /api/v1.
import { Hono } from 'hono';
import { drainBody } from '../http/drain-body';
import { attachmentsApi } from './attachments';
import { authApi } from './auth-routes';
import { backgroundApi } from './background';
import { collaboratorsApi } from './collaborators';
import { commentsApi } from './comments';
import { contentsWriteApi } from './contents-write';
import { type AppEnv, withActor } from './context';
import { errorResponse, onApiError } from './errors';
import { forksApi } from './forks';
import { gitDataApi } from './git-data';
import { hooksApi } from './hooks';
import { issueSearchApi } from './issue-search';
import { issuesApi } from './issues';
import { labelsApi } from './labels';
import { mergeUpstreamApi } from './merge-upstream';
import { migrationsApi } from './migrations';
import { milestonesApi } from './milestones';
import { describe } from './openapi/describe';
import { serveOpenApi } from './openapi/serve';
import { orgsApi } from './orgs';
import { protectionApi } from './protection';
import { pullsApi } from './pulls';
import { pushMirrorsApi } from './push-mirrors';
import { releaseAssetsApi } from './release-assets';
import { releasesApi } from './releases';
import { repoContentApi } from './repo-content';
import { reposApi } from './repos';
import { reviewsApi } from './reviews';
import { VersionSchema } from './schemas/misc';
import { settingsApi } from './settings';
import { statusesApi } from './statuses';
import { teamsApi } from './teams';
import { tokensApi } from './tokens';
import { transferApi } from './transfer';
import { usersApi } from './users';

/** The Gitea API level this server answers as (clients such as Renovate gate features on it),
 * with the server's own version as semver build metadata. 1.24: Renovate then asks for
 * Gitea-native auto-merge (`merge_when_checks_succeed` + `delete_branch_after_merge`), which this
 * server serves; README "Gitea API fidelity" lists every gate Renovate has. */
export const API_VERSION = '1.24.0+gitflare-0.1.0';

export const api = new Hono<AppEnv>();

api.onError(onApiError);

// Answering before reading the whole request body (e.g. a refusal) leaves the connection in a
// state where the next request on it fails under workerd's dev proxy ("worker restarted
// mid-request"); finish reading what the client sent, up to a bound, whatever the outcome.
api.use('*', async (c, next) => {
  await next();
  await drainBody(c.req.raw);
});

api.notFound((c) => errorResponse(c, 404, 'not found'));

api.get(
  '/api/v1/version',
  describe({
    summary: "Returns the version of the server (Gitea's API level)",
    tags: ['miscellaneous'],
    operationId: 'getVersion',
    responses: { 200: VersionSchema },
  }),
);
api.get('/api/v1/version', (c) => c.json({ version: API_VERSION }));
// The OpenAPI description of every route above and below, at Gitea's addresses.
serveOpenApi(api, API_VERSION);
api.route('/', authApi);

api.use('/api/v1/*', withActor);
api.route('/', usersApi);
api.route('/', tokensApi);
api.route('/', issueSearchApi);
api.route('/', reposApi);
api.route('/', collaboratorsApi);
api.route('/', repoContentApi);
api.route('/', issuesApi);
api.route('/', commentsApi);
api.route('/', labelsApi);
api.route('/', pullsApi);
api.route('/', hooksApi);
api.route('/', settingsApi);
api.route('/', protectionApi);
api.route('/', statusesApi);
api.route('/', reviewsApi);
api.route('/', forksApi);
api.route('/', mergeUpstreamApi);
api.route('/', releasesApi);
api.route('/', releaseAssetsApi);
api.route('/', attachmentsApi);
api.route('/', migrationsApi);
api.route('/', backgroundApi);
api.route('/', pushMirrorsApi);
api.route('/', orgsApi);
api.route('/', teamsApi);
api.route('/', transferApi);
api.route('/', milestonesApi);
api.route('/', gitDataApi);
api.route('/', contentsWriteApi);
