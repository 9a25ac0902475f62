// A webhook receiver for the benchmark: answers every delivery 200 and counts them, so the
// benchmark can wait for a push's deliveries to be done before timing the next operation.
import { createServer } from 'node:http';

export async function startHookReceiver() {
  let count = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      count++;
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
    });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/hook`,
    get count() {
      return count;
    },
    /** Resolves true once `n` deliveries have arrived in all, false after `timeoutMs`. */
    async waitFor(n, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (count < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      return count >= n;
    },
    close: () => new Promise((ok) => server.close(ok)),
  };
}

/** Registers `n` push webhooks on a repository, through the API as an admin would. */
export async function addPushHooks(base, user, repo, url, n) {
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${base}/api/v1/repos/${user.username}/${repo}/hooks`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `token ${user.token}` },
      body: JSON.stringify({
        type: 'gitea',
        config: { url: `${url}?n=${i}`, content_type: 'json', secret: `bench-secret-${i}` },
        events: ['push'],
        active: true,
      }),
    });
    if (res.status !== 201) throw new Error(`adding a webhook answered ${res.status}: ${await res.text()}`);
  }
}
