// Repository webhooks (Gitea's /repos/{owner}/{repo}/hooks), their deliveries and redelivery:
// for the repository's admins only (tokens need write:repository, as any admin action).
import { Hono } from 'hono';
import { credentialTime } from '../auth/clock';
import { findUserById } from '../db/users';
import {
  deleteHook,
  findDelivery,
  findHook,
  insertDeliveries,
  insertHook,
  listDeliveries,
  listHooks,
  requeueDelivery,
  updateHook,
} from '../db/webhooks';
import { DELIVERIES_KEPT, publicOrigin } from '../webhooks/config';
import { testPushPayload } from '../webhooks/push-payload';
import { hookQueue, newDelivery } from '../webhooks/queue';
import { readJsonObject } from './body';
import { type ApiContext, type AppEnv, requireRepo } from './context';
import { notFound } from './errors';
import { editedHookFields, newHookFields } from './hook-input';
import { deliveryJson, hookJson } from './hook-json';
import { describe } from './openapi/describe';

export const hooksApi = new Hono<AppEnv>();

const HOOKS = '/api/v1/repos/:owner/:repo/hooks';

function adminRepo(c: ApiContext) {
  return requireRepo(c, c.req.param('owner') ?? '', c.req.param('repo') ?? '', 'admin');
}

async function hookOf(c: ApiContext) {
  const access = await adminRepo(c);
  const id = Number(c.req.param('id'));
  const hook = Number.isSafeInteger(id) ? await findHook(c.env.DB, access.repo.id, id) : null;
  if (!hook) throw notFound('hook not found');
  return { ...access, hook };
}

hooksApi.get(
  HOOKS,
  describe({
    summary: 'List the hooks in a repository',
    tags: ['repository'],
    operationId: 'repoListHooks',
    responses: { 200: 'HookList' },
  }),
);
hooksApi.get(HOOKS, async (c) => {
  const { repo } = await adminRepo(c);
  return c.json((await listHooks(c.env.DB, repo.id)).map(hookJson));
});

hooksApi.post(
  HOOKS,
  describe({
    summary: 'Create a hook',
    tags: ['repository'],
    operationId: 'repoCreateHook',
    responses: { 201: 'Hook' },
  }),
);
hooksApi.post(HOOKS, async (c) => {
  const { repo } = await adminRepo(c);
  const fields = await newHookFields(c.env, await readJsonObject(c));
  return c.json(hookJson(await insertHook(c.env.DB, repo.id, fields)), 201);
});

/** Sends what is due at the time given (the test clock on test servers): retries on demand. */
hooksApi.post(
  `${HOOKS}/deliver-due`,
  describe({
    summary: 'Deliver the due deliveries of the repository’s hooks now (not Gitea’s)',
    tags: ['repository'],
    responses: { 200: 'delivered' },
  }),
);
hooksApi.post(`${HOOKS}/deliver-due`, async (c) => {
  const { repo } = await adminRepo(c);
  const now = credentialTime(c.req.raw, c.env).getTime();
  return c.json({ attempted: await hookQueue(c.env, repo.id).deliverDue(repo.id, now) });
});

hooksApi.get(
  `${HOOKS}/:id`,
  describe({
    summary: 'Get a hook',
    tags: ['repository'],
    operationId: 'repoGetHook',
    responses: { 200: 'Hook' },
  }),
);
hooksApi.get(`${HOOKS}/:id`, async (c) => c.json(hookJson((await hookOf(c)).hook)));

hooksApi.patch(
  `${HOOKS}/:id`,
  describe({
    summary: 'Edit a hook in a repository',
    tags: ['repository'],
    operationId: 'repoEditHook',
    responses: { 200: 'Hook' },
  }),
);
hooksApi.patch(`${HOOKS}/:id`, async (c) => {
  const { hook } = await hookOf(c);
  const fields = await editedHookFields(c.env, hook, await readJsonObject(c));
  return c.json(hookJson(await updateHook(c.env.DB, hook, fields)));
});

hooksApi.delete(
  `${HOOKS}/:id`,
  describe({
    summary: 'Delete a hook in a repository',
    tags: ['repository'],
    operationId: 'repoDeleteHook',
    responses: { 204: 'deleted' },
  }),
);
hooksApi.delete(`${HOOKS}/:id`, async (c) => {
  const { repo, hook } = await hookOf(c);
  await deleteHook(c.env.DB, repo.id, hook.id);
  return c.body(null, 204);
});

/** Gitea's "Test delivery": a push payload of the default branch's tip, to this hook only. */
hooksApi.post(
  `${HOOKS}/:id/tests`,
  describe({
    summary: 'Test a push webhook',
    tags: ['repository'],
    operationId: 'repoTestHook',
    responses: { 204: 'delivery queued' },
  }),
);
hooksApi.post(`${HOOKS}/:id/tests`, async (c) => {
  const { repo, hook, actor } = await hookOf(c);
  const sender = actor ? await findUserById(c.env.DB, actor.userId) : null;
  if (!sender) throw notFound('user not found');
  const payload = await testPushPayload(c.env, publicOrigin(c.env, c.req.url), repo, sender);
  await insertDeliveries(c.env.DB, [newDelivery(hook, 'push', '', payload)], DELIVERIES_KEPT);
  c.executionCtx.waitUntil(hookQueue(c.env, repo.id).kick(repo.id));
  return c.body(null, 204);
});

hooksApi.get(
  `${HOOKS}/:id/deliveries`,
  describe({
    summary: 'List the last deliveries of a hook (not Gitea’s)',
    tags: ['repository'],
    responses: { 200: 'deliveries' },
  }),
);
hooksApi.get(`${HOOKS}/:id/deliveries`, async (c) => {
  const { hook } = await hookOf(c);
  return c.json((await listDeliveries(c.env.DB, hook.id)).map(deliveryJson));
});

hooksApi.get(
  `${HOOKS}/:id/deliveries/:delivery`,
  describe({
    summary: 'Get one delivery of a hook, with its request and response (not Gitea’s)',
    tags: ['repository'],
    responses: { 200: 'delivery' },
  }),
);
hooksApi.get(`${HOOKS}/:id/deliveries/:delivery`, async (c) => {
  const { hook } = await hookOf(c);
  const d = await findDelivery(c.env.DB, hook.id, Number(c.req.param('delivery')));
  if (!d) throw notFound('delivery not found');
  return c.json(deliveryJson(d));
});

/** Redeliver (GitHub's name): the delivery is sent again now, whatever its state. */
hooksApi.post(
  `${HOOKS}/:id/deliveries/:delivery/attempts`,
  describe({
    summary: 'Redeliver a delivery (not Gitea’s)',
    tags: ['repository'],
    responses: { 202: 'queued' },
  }),
);
hooksApi.post(`${HOOKS}/:id/deliveries/:delivery/attempts`, async (c) => {
  const { repo, hook } = await hookOf(c);
  const d = await findDelivery(c.env.DB, hook.id, Number(c.req.param('delivery')));
  if (!d) throw notFound('delivery not found');
  const now = credentialTime(c.req.raw, c.env).getTime();
  await requeueDelivery(c.env.DB, d.id, now);
  await hookQueue(c.env, repo.id).deliverDue(repo.id, now);
  const after = await findDelivery(c.env.DB, hook.id, d.id);
  return c.json(deliveryJson(after ?? d), 202);
});
