import { expect, test } from 'vitest';
import { serverUrl } from '../helpers/server';

const base = serverUrl();

test('the server answers its version and renders the home page', async () => {
  const v = await fetch(`${base}/api/v1/version`);
  expect(v.status).toBe(200);
  expect(await v.json()).toMatchObject({ version: expect.any(String) });
  const home = await fetch(`${base}/`);
  expect(home.status).toBe(200);
  expect(await home.text()).toContain('Gitflare');
});
