#!/usr/bin/env node
// `npm start`: build the app, prepare local state (auth secret, D1 migrations) and serve it on
// workerd. Data lives under .data/ in the checkout and survives restarts.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

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
// The built config points at dist/; the secret must sit beside it for wrangler to load it. Write it
// only when it differs: a running server (e.g. another test's) reloads when the file is touched.
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
  'COMPACT_DELAY_MS',
];
const varArgs = CONFIG_VARS.filter((k) => process.env[k]).flatMap((k) => ['--var', `${k}:${process.env[k]}`]);

const child = spawn(
  'npx',
  [
    'wrangler',
    'dev',
    '-c',
    `${distDir}/server/wrangler.json`,
    '--ip',
    host,
    '--port',
    port,
    '--persist-to',
    stateDir,
    '--show-interactive-dev-session=false',
    '--log-level',
    'warn',
    ...varArgs,
  ],
  { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } },
);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));

// Say where we are once the server answers.
const url = `http://${host}:${port}`;
const started = Date.now();
(async () => {
  while (Date.now() - started < 120_000) {
    try {
      const res = await fetch(`${url}/api/v1/version`);
      if (res.ok) {
        console.log(`Gitflare is ready on ${url}`);
        return;
      }
    } catch {
      // not listening yet; try again shortly
    }
    await new Promise((r) => setTimeout(r, 250));
  }
})();
