// Organizations in headless Chromium against the real server: a user creates an organization on
// /organizations/new, creates a repository for it with the owner switcher of /new, and the
// organization's page shows its repositories, people and teams to members only.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { call, createUser, type GitUser, uniqueName } from '../helpers/accounts';
import { BrowserPages } from '../helpers/browser';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
const pages = new BrowserPages(base);
let founder: GitUser;
let stranger: GitUser;

beforeAll(async () => {
  [founder, stranger] = await Promise.all([
    createUser(base, 'orgui-founder'),
    createUser(base, 'orgui-stranger'),
  ]);
  await pages.launch();
});

afterAll(() => pages.close());

test('create an organization and a repository in it through the pages', async () => {
  const org = uniqueName('orgui');
  const page = await pages.pageAs(founder);
  expect(await pages.open(page, '/organizations/new')).toBe(200);
  const form = page.locator('form');
  await form.locator('input[name="username"]').fill(org);
  await form.locator('select[name="visibility"]').selectOption('private');
  await page.getByRole('button', { name: 'Create organization' }).click();
  await page.waitForURL(`${base}/${org}`, { timeout: 60_000 });
  const created = await call(base, 'GET', `/api/v1/orgs/${org}`, {
    auth: { authorization: `token ${founder.token}` },
  });
  expect(created.body).toMatchObject({ name: org, visibility: 'private' });

  // A name already taken is refused with the API's message, and nothing is created.
  expect(await pages.open(page, '/organizations/new')).toBe(200);
  await page.locator('input[name="username"]').fill(stranger.username);
  await page.getByRole('button', { name: 'Create organization' }).click();
  await expect.poll(() => page.locator('body').innerText(), { timeout: 60_000 }).toContain('already taken');

  expect(await pages.open(page, '/new')).toBe(200);
  const options = await page.locator('select[name="owner"] option').allTextContents();
  expect(options).toEqual([founder.username, org]);
  await page.locator('select[name="owner"]').selectOption(org);
  await page.locator('input[name="name"]').fill('site');
  await page.getByRole('button', { name: 'Create repository' }).click();
  await page.waitForURL(`${base}/${org}/site`, { timeout: 60_000 });
  const repo = await call(base, 'GET', `/api/v1/repos/${org}/site`, {
    auth: { authorization: `token ${founder.token}` },
  });
  expect(repo.body).toMatchObject({ full_name: `${org}/site`, owner: { login: org } });

  // The organization's page: repositories, people and teams for the member; 404 for others.
  expect(await pages.open(page, `/${org}`)).toBe(200);
  const text = await page.locator('body').innerText();
  expect(text).toContain('site');
  expect(text).toContain('People');
  expect(text).toContain(founder.username);
  expect(text).toContain('Owners');
  const other = await pages.pageAs(stranger);
  expect(await pages.open(other, `/${org}`)).toBe(404);
  expect(await pages.open(other, `/${org}/site`)).toBe(404);
  // The stranger's /new offers only their own account.
  expect(await pages.open(other, '/new')).toBe(200);
  expect(await other.locator('select[name="owner"] option').allTextContents()).toEqual([stranger.username]);
  expect(pages.pageErrors).toEqual([]);
});

test('explore lists the organizations the visitor may see', async () => {
  // Names sorting before every other test's, so both fall on the first page.
  const tag = uniqueName('0').slice(2);
  const [pub, priv] = [`00a${tag}`, `00b${tag}`];
  for (const [name, visibility] of [
    [pub, 'public'],
    [priv, 'private'],
  ] as const) {
    const r = await call(base, 'POST', '/api/v1/orgs', {
      auth: { authorization: `token ${founder.token}` },
      json: { username: name, visibility, description: `the ${visibility} one` },
    });
    expect(r.status).toBe(201);
  }
  const anonymous = await pages.pageAs(null);
  expect(await pages.open(anonymous, '/explore')).toBe(200);
  const seen = await anonymous.getByTestId('explore-orgs').innerText();
  expect(seen).toContain(pub);
  expect(seen).toContain('the public one');
  expect(seen).not.toContain(priv);
  const member = await pages.pageAs(founder);
  expect(await pages.open(member, '/explore')).toBe(200);
  expect(await member.getByTestId('explore-orgs').innerText()).toContain(priv);
});
