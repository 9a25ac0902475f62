// An organization's settings page and its team pages in headless Chromium against the real
// server: the owner edits the organization and a team through them (the API shows the change),
// a member who is not an owner gets 404 on settings, a stranger 404 on a private organization's
// team page, and deletion is refused with the API's message while the organization owns a
// repository.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { asToken, call, createUser, type GitUser, uniqueName } from '../helpers/accounts';
import { BrowserPages } from '../helpers/browser';
import { ok } from '../helpers/orgs';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
const pages = new BrowserPages(base);
let owner: GitUser;
let member: GitUser;
let stranger: GitUser;
let newcomer: GitUser;
let org: string;
let teamId: number;

beforeAll(async () => {
  [owner, member, stranger, newcomer] = await Promise.all(
    ['owner', 'member', 'stranger', 'newcomer'].map((r) => createUser(base, `orgpg-${r}`)),
  );
  org = uniqueName('orgpg');
  const auth = asToken(owner.token);
  await ok(call(base, 'POST', '/api/v1/orgs', { auth, json: { username: org, visibility: 'private' } }), 201);
  const team = await ok(
    call(base, 'POST', `/api/v1/orgs/${org}/teams`, { auth, json: { name: 'devs', permission: 'write' } }),
    201,
  );
  teamId = (team.body as { id: number }).id;
  await ok(call(base, 'PUT', `/api/v1/teams/${teamId}/members/${member.username}`, { auth }), 204);
  await ok(call(base, 'POST', `/api/v1/orgs/${org}/repos`, { auth, json: { name: 'kept' } }), 201);
  await pages.launch();
});

afterAll(() => pages.close());

const orgDescription = async () =>
  (await call(base, 'GET', `/api/v1/orgs/${org}`, { auth: asToken(owner.token) })).body as {
    description: string;
  };

test('the owner edits the organization on its settings page; a member who is not an owner gets 404', async () => {
  const page = await pages.pageAs(owner);
  expect(await pages.open(page, `/${org}`)).toBe(200);
  await page.locator(`a[href="/orgs/${org}/settings"]`).click();
  await page.waitForURL(`${base}/orgs/${org}/settings`, { timeout: 60_000 });
  expect(await pages.open(page, `/orgs/${org}/settings`)).toBe(200);
  expect(await page.getByTestId('org-members').innerText()).toContain(member.username);
  expect(await page.getByTestId('org-teams').innerText()).toContain('devs');
  await page.getByTestId('org-profile').locator('input[name="description"]').fill('Builds the widgets');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect
    .poll(async () => (await orgDescription()).description, { timeout: 60_000 })
    .toBe('Builds the widgets');

  // Deletion is refused with the API's message while the organization owns a repository.
  await page.locator('input[name="confirm"]').fill(org);
  await page.getByRole('button', { name: 'Delete this organization' }).click();
  await expect
    .poll(() => page.getByTestId('org-delete').innerText(), { timeout: 60_000 })
    .toContain('still owns repositories');
  expect((await orgDescription()).description).toBe('Builds the widgets');

  const other = await pages.pageAs(member);
  expect(await pages.open(other, `/${org}`)).toBe(200);
  expect(await other.locator(`a[href="/orgs/${org}/settings"]`).count()).toBe(0);
  expect(await pages.open(other, `/orgs/${org}/settings`)).toBe(404);
  expect(await other.locator('body').innerText()).not.toContain('Danger zone');
  expect(pages.pageErrors).toEqual([]);
});

test('the owner adds a member on the team page; a stranger gets 404 on a private organization team', async () => {
  const page = await pages.pageAs(owner);
  expect(await pages.open(page, `/${org}`)).toBe(200);
  await page.locator(`a[href="/orgs/${org}/teams/devs"]`).click();
  await page.waitForURL(`${base}/orgs/${org}/teams/devs`, { timeout: 60_000 });
  expect(await pages.open(page, `/orgs/${org}/teams/devs`)).toBe(200);
  expect(await page.getByTestId('team-permission').innerText()).toContain('write');
  expect(await page.getByTestId('team-members').innerText()).toContain(member.username);
  const form = page.getByTestId('add-team-member');
  await form.locator('input[name="name"]').fill(newcomer.username);
  await form.getByRole('button', { name: 'Add member' }).click();
  await expect
    .poll(() => page.getByTestId('team-members').innerText(), { timeout: 60_000 })
    .toContain(newcomer.username);
  const members = await ok(
    call(base, 'GET', `/api/v1/teams/${teamId}/members`, { auth: asToken(owner.token) }),
    200,
  );
  expect((members.body as { login: string }[]).map((m) => m.login).sort()).toEqual(
    [member.username, newcomer.username].sort(),
  );

  // A member sees the team without the owners' forms; a stranger does not see it at all.
  const seen = await pages.pageAs(member);
  expect(await pages.open(seen, `/orgs/${org}/teams/devs`)).toBe(200);
  expect(await seen.getByTestId('team-members').innerText()).toContain(newcomer.username);
  expect(await seen.getByTestId('add-team-member').count()).toBe(0);
  const outsider = await pages.pageAs(stranger);
  expect(await pages.open(outsider, `/orgs/${org}/teams/devs`)).toBe(404);
  expect(await outsider.locator('body').innerText()).not.toContain(member.username);
  expect(pages.pageErrors).toEqual([]);
});

const teamsOf = async () =>
  (await ok(call(base, 'GET', `/api/v1/orgs/${org}/teams`, { auth: asToken(owner.token) }), 200)).body as {
    id: number;
    name: string;
    permission: string;
    can_create_org_repo: boolean;
    units: string[];
  }[];

test('the owner creates, renames, re-permissions and deletes a team in the pages; the Owners team refuses', async () => {
  const page = await pages.pageAs(owner);
  expect(await pages.open(page, `/orgs/${org}/settings`)).toBe(200);
  const create = page.getByTestId('new-team');
  await create.locator('input[name="name"]').fill('qa');
  await create.locator('select[name="permission"]').selectOption('write');
  await create.locator('input[name="can_create_org_repo"]').check();
  await create.locator('input[value="repo.releases"]').uncheck();
  await create.getByRole('button', { name: 'Create team' }).click();
  await page.waitForURL(`${base}/orgs/${org}/teams/qa`, { timeout: 60_000 });
  expect(await page.getByTestId('team-permission').innerText()).toContain('write');
  expect((await teamsOf()).find((t) => t.name === 'qa')).toMatchObject({
    permission: 'write',
    can_create_org_repo: true,
    units: ['repo.code', 'repo.issues', 'repo.pulls'],
  });

  // A taken name is refused with the API's message, and nothing changes.
  await pages.open(page, `/orgs/${org}/teams/qa`);
  const edit = page.getByTestId('team-settings');
  await edit.locator('input[name="name"]').fill('devs');
  await edit.getByRole('button', { name: 'Save team' }).click();
  await expect.poll(() => edit.innerText(), { timeout: 60_000 }).toContain("already has a team named 'devs'");
  await edit.locator('input[name="name"]').fill('quality');
  await edit.locator('select[name="permission"]').selectOption('admin');
  await edit.getByRole('button', { name: 'Save team' }).click();
  await page.waitForURL(`${base}/orgs/${org}/teams/quality`, { timeout: 60_000 });
  expect(await page.getByTestId('team-permission').innerText()).toContain('admin');
  expect((await teamsOf()).map((t) => [t.name, t.permission])).toEqual([
    ['Owners', 'owner'],
    ['devs', 'write'],
    ['quality', 'admin'],
  ]);

  // The Owners team keeps its name and cannot be deleted: the API's 422 is shown.
  expect(await pages.open(page, `/orgs/${org}/teams/Owners`)).toBe(200);
  const owners = page.getByTestId('team-settings');
  await owners.locator('input[name="name"]').fill('Bosses');
  await owners.getByRole('button', { name: 'Save team' }).click();
  await expect.poll(() => owners.innerText(), { timeout: 60_000 }).toContain('Owners team keeps its name');
  await page.getByRole('button', { name: 'Delete team Owners' }).click();
  await expect
    .poll(() => page.getByTestId('team-delete').innerText(), { timeout: 60_000 })
    .toContain('cannot be deleted');
  expect((await teamsOf()).map((t) => t.name)).toEqual(['Owners', 'devs', 'quality']);

  expect(await pages.open(page, `/orgs/${org}/teams/quality`)).toBe(200);
  await page.getByRole('button', { name: 'Delete team quality' }).click();
  await page.waitForURL(`${base}/orgs/${org}/settings`, { timeout: 60_000 });
  expect((await teamsOf()).map((t) => t.name)).toEqual(['Owners', 'devs']);
  expect(await page.getByTestId('org-teams').innerText()).not.toContain('quality');

  // A member who is not an owner sees no team forms.
  const other = await pages.pageAs(member);
  expect(await pages.open(other, `/orgs/${org}/teams/devs`)).toBe(200);
  expect(await other.getByTestId('team-settings').count()).toBe(0);
  expect(await other.getByTestId('team-delete').count()).toBe(0);
  expect(pages.pageErrors).toEqual([]);
});

test("a user's repository named settings keeps its home at /{user}/settings", async () => {
  const page = await pages.pageAs(stranger);
  expect(await pages.open(page, `/${stranger.username}/settings`)).toBe(404);
  await ok(
    call(base, 'POST', '/api/v1/user/repos', {
      auth: asToken(stranger.token),
      json: { name: 'settings', description: 'a repository named settings' },
    }),
    201,
  );
  expect(await pages.open(page, `/${stranger.username}/settings`)).toBe(200);
  expect(await page.locator('body').innerText()).toContain('a repository named settings');
  expect(pages.pageErrors).toEqual([]);
});
