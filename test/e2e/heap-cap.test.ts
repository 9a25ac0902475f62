// The end-to-end servers run with the isolate's V8 heap capped near a production Worker's
// (WORKER_HEAP_FLAGS, through scripts/lib/workerd-heap-cap.sh). This checks that the cap is really
// in force: the same push that passes under it exhausts a heap capped far lower.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { authUrl, createRepo, createUser } from '../helpers/accounts';
import { git, gitTry } from '../helpers/git';
import { type RunningServer, startServer } from './server-process';

const work = mkdtempSync(join(tmpdir(), 'gitflare-heap-'));
const src = join(work, 'src.git');
const servers: RunningServer[] = [];

/** Tags pushed with the history: what the push holds in the heap grows with its ref updates. */
const TAGS = 10_000;

beforeAll(() => {
  // 21,000 objects (20 commits rewriting 1,000 files): a few MiB of pack, built in about a second;
  // and 10,000 lightweight tags on those commits (6,000 fit in 20 MiB, 10,000 do not).
  const lines: string[] = [];
  for (let c = 0; c < 20; c++) {
    lines.push(
      'commit refs/heads/main',
      `mark :${c + 1}`,
      `committer A <a@example.com> ${1_700_000_000 + c} +0000`,
      'data 3',
      `c${c}`,
    );
    for (let i = 0; i < 1000; i++) {
      const body = `file ${i} revision ${c} ${'x'.repeat(i % 97)}\n`.repeat(20);
      lines.push(`M 100644 inline d${i % 50}/f${i}.txt`, `data ${Buffer.byteLength(body)}`, body);
    }
  }
  for (let t = 0; t < TAGS; t++) lines.push(`reset refs/tags/t${t}`, `from :${(t % 20) + 1}`, '');
  git(work, ['init', '-q', '--bare', '-b', 'main', src]);
  git(src, ['fast-import', '--quiet'], `${lines.join('\n')}\n`);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  rmSync(work, { recursive: true, force: true });
});

async function pushTo(server: RunningServer): Promise<{ code: number; stderr: string }> {
  const user = await createUser(server.url, 'heap');
  await createRepo(server.url, user, 'many');
  return gitTry(src, ['push', '-q', authUrl(server.url, user, user.username, 'many'), 'main', 'refs/tags/*']);
}

test('the push passes under the production-like heap cap', async () => {
  const server = await startServer();
  servers.push(server);
  const r = await pushTo(server);
  expect(r.code, r.stderr).toBe(0);
  expect(server.log()).not.toContain('heap out of memory');
});

// 20 MiB: the app itself now needs more than 16 to answer a sign-up (the API's schemas and its
// OpenAPI description grew it). A narrow window: when the app grows again, or the push needs
// less (the objects alone fitted in 20 once resolved bases left the cache), push more here
// rather than raise the cap toward the push's need.
test('a heap capped at 20 MiB runs out on the same push', async () => {
  const server = await startServer({ env: { GITFLARE_V8_FLAGS: '--max-old-space-size=20' } });
  servers.push(server);
  const r = await pushTo(server);
  expect(r.code).not.toBe(0);
  // The log arrives through a pipe; give it a moment.
  for (let i = 0; i < 20 && !server.log().includes('heap out of memory'); i++) {
    await new Promise((res) => setTimeout(res, 100));
  }
  expect(server.log()).toContain('JavaScript heap out of memory');
});
