// A minimal Smart HTTP server for the benchmark's baseline: C git's own `git http-backend`
// behind a tiny CGI bridge. Every request runs one http-backend process (as Apache or nginx +
// fcgiwrap would), with both bodies streamed so large packs are never buffered here.
//
// Run as its own process (so its process group holds http-backend and the upload-pack /
// pack-objects / receive-pack children it starts, whose memory the benchmark samples):
//   node scripts/lib/git-http-server.mjs PROJECT_ROOT
// It prints one line of JSON, {"port": N}, once it listens on 127.0.0.1.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { resolve } from 'node:path';

/** Forwards one HTTP request to `git http-backend` and its CGI response back. */
function handle(root, req, res) {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    // Partial clones (--filter), which upload-pack refuses unless allowed.
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'uploadpack.allowFilter',
    GIT_CONFIG_VALUE_0: 'true',
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: '1',
    GATEWAY_INTERFACE: 'CGI/1.1',
    SERVER_PROTOCOL: 'HTTP/1.1',
    REQUEST_METHOD: req.method ?? 'GET',
    QUERY_STRING: url.search.slice(1),
    PATH_INFO: decodeURIComponent(url.pathname),
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    // Anyone may push: the baseline measures git, not authentication.
    REMOTE_USER: 'bench',
  };
  const h = req.headers;
  if (h['content-type']) env.CONTENT_TYPE = h['content-type'];
  // Without a length (chunked uploads, as git sends large pushes) http-backend reads to EOF.
  if (h['content-length']) env.CONTENT_LENGTH = h['content-length'];
  if (h['content-encoding']) env.HTTP_CONTENT_ENCODING = h['content-encoding'];
  if (h['git-protocol']) env.HTTP_GIT_PROTOCOL = h['git-protocol'];

  const cgi = spawn('git', ['-c', 'http.receivepack=true', 'http-backend'], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  cgi.stderr.on('data', (d) => {
    stderr += d;
  });
  req.pipe(cgi.stdin);
  // git may answer before reading the whole body (an error); don't crash on the broken pipe.
  cgi.stdin.on('error', () => {
    // ignored: git's own exit status and output say what went wrong
  });

  // Parse the CGI header block, then stream the rest of stdout as the response body.
  let head = Buffer.alloc(0);
  let headersDone = false;
  const onData = (chunk) => {
    if (headersDone) return;
    head = Buffer.concat([head, chunk]);
    let end = head.indexOf('\r\n\r\n');
    let sep = 4;
    if (end < 0) {
      end = head.indexOf('\n\n');
      sep = 2;
    }
    if (end < 0) return;
    headersDone = true;
    cgi.stdout.off('data', onData);
    let status = 200;
    const headers = {};
    for (const line of head.subarray(0, end).toString('latin1').split(/\r?\n/)) {
      const i = line.indexOf(':');
      if (i < 0) continue;
      const name = line.slice(0, i).trim();
      const value = line.slice(i + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
      else headers[name] = value;
    }
    res.writeHead(status, headers);
    const rest = head.subarray(end + sep);
    if (rest.length) res.write(rest);
    cgi.stdout.pipe(res);
  };
  cgi.stdout.on('data', onData);
  cgi.on('close', (code) => {
    if (!headersDone) {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(`git http-backend exited ${code}: ${stderr}\n`);
    } else if (code !== 0) {
      process.stderr.write(`git http-backend exited ${code}: ${stderr}\n`);
    }
  });
  res.on('close', () => {
    // The client went away: stop the backend rather than leaving it to finish alone.
    if (!res.writableFinished && cgi.exitCode === null) cgi.kill('SIGTERM');
  });
}

export function serve(root, port = 0) {
  const abs = resolve(root);
  const server = createServer((req, res) => handle(abs, req, res));
  return new Promise((ok, fail) => {
    server.on('error', fail);
    server.listen(port, '127.0.0.1', () => ok(server));
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = process.argv[2];
  if (!root) {
    console.error('usage: git-http-server.mjs PROJECT_ROOT');
    process.exit(2);
  }
  const server = await serve(root);
  console.log(JSON.stringify({ port: server.address().port }));
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(0));
}
