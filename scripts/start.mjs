#!/usr/bin/env node
// `npm start`: build the app, prepare local state (auth secret, D1 migrations) and serve it on
// workerd. Data lives under .data/ in the checkout and survives restarts.
//
// The built Worker runs on workerd through Miniflare, the local runtime wrangler itself uses, with
// wrangler's own reading of the built configuration (bindings, Durable Objects, D1, assets,
// secrets). `wrangler dev` would add a reloading proxy in front; after long uploads that proxy
// sometimes left the next request unanswered, which a git client waits on forever.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Log, LogLevel, Miniflare } from 'miniflare';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';

const port = process.env.PORT ?? '8787';
const host = process.env.HOST ?? '127.0.0.1';
const stateDir = process.env.GITFLARE_STATE ?? '.data';
const skipBuild = process.argv.includes('--no-build');
// Where the built app is; tests run each server from a private copy so a rebuild cannot reload it.
const distDir = process.env.GITFLARE_DIST ?? 'dist';
const quietOpts = { stdio: ['ignore', 'inherit', 'inherit'] };

function run(cmd, args) {
  const r = spawnSync(cmd, args, quietOpts);
  if (r.status !== 0) {
    console.error(`${cmd} ${args.join(' ')} failed`);
    process.exit(r.status ?? 1);
  }
}

// A per-checkout secret for Better Auth: generated once, never committed (.dev.vars is ignored).
if (!existsSync('.dev.vars') || !readFileSync('.dev.vars', 'utf8').includes('BETTER_AUTH_SECRET')) {
  writeFileSync('.dev.vars', `BETTER_AUTH_SECRET=${randomBytes(32).toString('hex')}\n`, { flag: 'a' });
}

if (!skipBuild || !existsSync(`${distDir}/server/index.js`))
  run('npx', ['vite', 'build', '--logLevel', 'warn']);
// The built config points at dist/; the secret must sit beside it for wrangler to read it. Write it
// only when it differs, so a build that other servers are reading is not rewritten under them.
const vars = readFileSync('.dev.vars');
if (!existsSync(`${distDir}/server/.dev.vars`) || !readFileSync(`${distDir}/server/.dev.vars`).equals(vars)) {
  writeFileSync(`${distDir}/server/.dev.vars`, vars);
}
run('npx', ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', stateDir]);

// Configuration variables given in the environment override wrangler.jsonc (see README).
const CONFIG_VARS = [
  'BETTER_AUTH_URL',
  'GITHUB_CLIENT_ID',
  'GITHUB_CLIENT_SECRET',
  'OIDC_CLIENT_ID',
  'OIDC_CLIENT_SECRET',
  'OIDC_DISCOVERY_URL',
  'OIDC_PROVIDER_ID',
  'OIDC_PROVIDER_NAME',
  'MAX_PUSH_BYTES',
  'MAX_OBJECT_BYTES',
  'MAX_PUSH_OBJECTS',
  'PUSH_SPILL_IDS',
  'COMPACT_DELAY_MS',
  'PACK_COPY_DELAY_MS',
  'LFS_MAX_REPO_BYTES',
  'MAX_ASSET_BYTES',
  'AUTH_FAILURES_PER_ACCOUNT',
  'AUTH_FAILURES_PER_ADDRESS',
  'AUTH_FAILURE_WINDOW_SECONDS',
  'ALLOWED_HOST_LIST',
  'WEBHOOK_RETRY_DELAY_MS',
  'REPAIR_WINDOW_OBJECTS',
  'REBUILD_STEP_OBJECTS',
  'REBUILD_STEP_DELAY_MS',
  'IMPORT_STEP_SUBREQUESTS',
  // Test servers only (see src/auth/clock.ts).
  'GITFLARE_TEST_CLOCK',
];

const { workerOptions, main } = unstable_getMiniflareWorkerOptions(`${distDir}/server/wrangler.json`);
for (const k of CONFIG_VARS) if (process.env[k]) workerOptions.bindings[k] = process.env[k];

// The build splits the server into chunks loaded with import(): list them all as modules.
const root = dirname(resolve(main));
const filesUnder = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
const modules = [
  { type: 'ESModule', path: resolve(main) },
  ...filesUnder(root)
    .filter((f) => f.endsWith('.js') && f !== resolve(main))
    .map((path) => ({ type: 'ESModule', path })),
];

// GITFLARE_V8_FLAGS (e.g. a heap cap) reach workerd through a stand-in that adds them to its config.
if (process.env.GITFLARE_V8_FLAGS) {
  process.env.MINIFLARE_WORKERD_PATH = resolve('scripts/lib/workerd-heap-cap.sh');
}

// The same layout under the state directory as `wrangler dev --persist-to` uses.
const persist = join(resolve(stateDir), 'v3');
// Miniflare's scratch folder under the temporary directory is removed without waiting when it is
// disposed, which the exit below outruns: it gets a folder of ours, removed after it.
const scratch = mkdtempSync(join(tmpdir(), 'gitflare-run-'));
process.env.TMPDIR = scratch;
const mf = new Miniflare({
  host,
  port: Number(port),
  log: new Log(LogLevel.WARN),
  cf: false, // no lookup of Cloudflare's request metadata (offline); a placeholder is used
  // For profiling: GITFLARE_INSPECT=9229 opens the V8 inspector of the Worker's isolate.
  ...(process.env.GITFLARE_INSPECT ? { inspectorPort: Number(process.env.GITFLARE_INSPECT) } : {}),
  d1Persist: join(persist, 'd1'),
  durableObjectsPersist: join(persist, 'do'),
  cachePersist: join(persist, 'cache'),
  kvPersist: join(persist, 'kv'),
  r2Persist: join(persist, 'r2'),
  workers: [{ ...workerOptions, name: 'gitflare', modules, modulesRoot: root }],
});

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  await mf.dispose().catch(() => undefined);
  rmSync(scratch, { recursive: true, force: true, maxRetries: 5 });
  process.exit(code);
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

try {
  const url = await mf.ready;
  console.log(`Gitflare is ready on ${url.origin}`);
} catch (err) {
  console.error('Gitflare could not start:', err?.message ?? err);
  await stop(1);
}
