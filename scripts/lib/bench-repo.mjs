// Builds the benchmark's test repositories with git itself (git fast-import, then git repack),
// deterministically, and caches them under .bench/repos/ so later runs reuse them.
//
// The history is shaped like a real project rather than like a pile of objects, because that is
// what makes a git server work: many commits that edit the same source files (so the pack is
// mostly deltas and trees), files that grow, move and disappear, topic branches merged back with
// merge commits, release branches, lightweight and annotated tags, and binary assets (some of
// them revised in place, which deltas well, most of them not). Sizes are tuned so the packed
// repository is about 1 MiB, 20 MiB and 300 MiB; `huge` is a history of about 1,000,000 objects.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Shapes of the three repositories. `binMiB` is the total of distinct binary content. */
export const SIZES = {
  small: { commits: 600, files: 60, dirs: 6, binaries: 6, binKiB: 30, lines: 120 },
  medium: { commits: 6000, files: 500, dirs: 40, binaries: 40, binKiB: 340, lines: 160 },
  large: { commits: 40000, files: 4000, dirs: 200, binaries: 150, binKiB: 2100, lines: 200 },
  // About 1,000,000 objects (~10 a commit, as large): only on request (BENCH_SIZES=huge, --huge),
  // never pushed whole (the million rows push it in parts). Short files and few assets keep the
  // generation bounded and each part's pack under the plan's 100 MB request body.
  huge: { commits: 97000, files: 4000, dirs: 200, binaries: 20, binKiB: 500, lines: 60 },
};

// Bump when the generator changes so stale caches are rebuilt rather than silently reused.
const GENERATOR_VERSION = 1;

/** Environment for every git we run: no user or system configuration leaks into the numbers. */
export function gitEnv(extra = {}) {
  return {
    ...process.env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    LC_ALL: 'C',
    ...extra,
  };
}

/** git in the repository `dir` as the benchmark's author, at `date` (git's "seconds +zone"). */
export function benchGit(dir, args, { input, date } = {}) {
  const who = { GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'bench@example.com' };
  const when = date === undefined ? {} : { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
  const env = gitEnv({
    ...who,
    GIT_COMMITTER_NAME: 'Bench',
    GIT_COMMITTER_EMAIL: 'bench@example.com',
    ...when,
  });
  return execFileSync('git', ['-C', dir, ...args], { env, input, encoding: 'utf8' }).trim();
}

/** A tiny deterministic PRNG (mulberry32): the same repository every time, on every machine. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generator() {
  const rnd = prng(0x5eed);
  const int = (n) => Math.floor(rnd() * n);
  // A vocabulary of made-up identifiers so text compresses like source code (about 3:1), not
  // like a handful of repeated words.
  const syl = [
    'ka',
    'lo',
    'mi',
    'ren',
    'to',
    'sa',
    'vi',
    'da',
    'ne',
    'po',
    'qu',
    'ar',
    'el',
    'is',
    'um',
    'ox',
    'zy',
    'be',
    'fu',
    'gra',
  ];
  const vocab = Array.from({ length: 1500 }, () => {
    const n = 2 + int(3);
    let w = '';
    for (let i = 0; i < n; i++) w += syl[int(syl.length)];
    return w;
  });
  const kw = ['if', 'for', 'return', 'let', 'const', 'while', 'struct', 'int', 'void', 'else'];
  const line = () => {
    const indent = '  '.repeat(int(4));
    const n = 2 + int(7);
    const parts = [];
    for (let i = 0; i < n; i++) {
      const r = rnd();
      parts.push(r < 0.15 ? kw[int(kw.length)] : r < 0.25 ? String(int(10000)) : vocab[int(vocab.length)]);
    }
    return `${indent}${parts.join(rnd() < 0.5 ? ' ' : '_')}${rnd() < 0.6 ? ';' : ' {'}\n`;
  };
  const binary = (bytes) => {
    const buf = Buffer.allocUnsafe(bytes);
    for (let i = 0; i + 4 <= bytes; i += 4) buf.writeUInt32LE((rnd() * 4294967296) >>> 0, i);
    return buf;
  };
  return { rnd, int, line, binary };
}

/**
 * Writes a fast-import stream for `shape` to `out` (a writable with backpressure).
 * Returns a promise for the number of commits written.
 */
async function writeHistory(shape, out) {
  const g = generator();
  const { int, rnd } = g;
  const write = async (chunk) => {
    if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
  };
  const data = (payload) => {
    const b = typeof payload === 'string' ? Buffer.from(payload) : payload;
    return Buffer.concat([Buffer.from(`data ${b.length}\n`), b, Buffer.from('\n')]);
  };

  // Working state of main: path -> array of lines (text) or Buffer (binary).
  const text = new Map();
  const bins = new Map();
  let fileSeq = 0;
  const newPath = () => {
    fileSeq++;
    const ext = ['c', 'h', 'ts', 'md', 'txt'][fileSeq % 5];
    return `src/mod${String(fileSeq % shape.dirs).padStart(3, '0')}/file${fileSeq}.${ext}`;
  };
  const newText = () =>
    Array.from({ length: Math.max(10, shape.lines + int(shape.lines) - shape.lines / 2) }, g.line);
  const edit = (lines) => {
    const copy = lines.slice();
    const hunks = 1 + int(3);
    for (let h = 0; h < hunks; h++) {
      const at = int(copy.length);
      const r = rnd();
      const n = 1 + int(5);
      if (r < 0.45) copy.splice(at, n, ...Array.from({ length: n }, g.line));
      else if (r < 0.8) copy.splice(at, 0, ...Array.from({ length: n }, g.line));
      else if (copy.length > 30) copy.splice(at, n);
    }
    return copy;
  };
  const textOp = (path, lines) =>
    Buffer.concat([Buffer.from(`M 100644 inline ${path}\n`), data(lines.join(''))]);
  const binOp = (path, buf) => Buffer.concat([Buffer.from(`M 100644 inline ${path}\n`), data(buf)]);
  const binSize = () => Math.max(256, Math.floor(shape.binKiB * 1024 * (0.3 + 1.4 * rnd())) & ~3);
  const pick = (map, exclude) => {
    const keys = [...map.keys()];
    for (let tries = 0; tries < 20; tries++) {
      const k = keys[int(keys.length)];
      if (!exclude?.has(k)) return k;
    }
    return keys[0];
  };

  let mark = 0;
  let time = 1_500_000_000;
  const authors = [
    'Ada Lovelace <ada@example.com>',
    'Alan Turing <alan@example.com>',
    'Grace Hopper <grace@example.com>',
    'Linus Torvalds <linus@example.com>',
    'Margaret Hamilton <margaret@example.com>',
  ];
  const commit = async (ref, msg, from, merge, ops) => {
    const m = ++mark;
    time += 60 + int(3600);
    const who = authors[int(authors.length)];
    let head = `commit ${ref}\nmark :${m}\nauthor ${who} ${time} +0000\ncommitter ${who} ${time} +0000\n`;
    await write(Buffer.from(head));
    await write(data(msg));
    head = '';
    if (from) head += `from :${from}\n`;
    if (merge) head += `merge :${merge}\n`;
    await write(Buffer.from(head));
    for (const op of ops) await write(op);
    await write(Buffer.from('\n'));
    return m;
  };

  // The first commit: the whole initial tree.
  const init = [];
  for (let i = 0; i < Math.floor(shape.files * 0.6); i++) {
    const p = newPath();
    text.set(p, newText());
    init.push(textOp(p, text.get(p)));
  }
  const binEvery = Math.max(1, Math.floor(shape.commits / shape.binaries));
  let binSeq = 0;
  let main = await commit('refs/heads/main', 'Initial import\n', 0, 0, init);
  // Files grow towards `shape.files` over the history, as projects do.
  const growEvery = Math.max(1, Math.floor(shape.commits / (shape.files * 0.5)));
  let topics = 0;
  for (let c = 2; c <= shape.commits; c++) {
    const ops = [];
    const touched = new Set();
    const edits = rnd() < 0.9 ? 1 + int(3) : 5 + int(20); // mostly small commits, some sweeping ones
    for (let e = 0; e < edits; e++) {
      const p = pick(text, touched);
      touched.add(p);
      text.set(p, edit(text.get(p)));
      ops.push(textOp(p, text.get(p)));
    }
    if (c % growEvery === 0) {
      const p = newPath();
      text.set(p, newText());
      ops.push(textOp(p, text.get(p)));
    }
    if (c % 97 === 0 && text.size > 20) {
      // Rename a file (content kept), which git sees as delete + add of the same blob.
      const p = pick(text, touched);
      const q = newPath();
      text.set(q, text.get(p));
      text.delete(p);
      ops.push(Buffer.from(`R ${p} ${q}\n`));
    } else if (c % 151 === 0 && text.size > 20) {
      const p = pick(text, touched);
      text.delete(p);
      ops.push(Buffer.from(`D ${p}\n`));
    }
    if (c % binEvery === 0) {
      if (bins.size > 0 && rnd() < 0.3) {
        // Revise an existing asset in place: a few patches of a mostly unchanged file.
        const p = pick(bins);
        const b = Buffer.from(bins.get(p));
        for (let k = 0; k < 4; k++)
          g.binary(Math.min(4096, b.length)).copy(b, int(Math.max(1, b.length - 4096)));
        bins.set(p, b);
        ops.push(binOp(p, b));
      } else {
        const p = `assets/asset${++binSeq}.bin`;
        bins.set(p, g.binary(binSize()));
        ops.push(binOp(p, bins.get(p)));
      }
    }
    main = await commit(
      'refs/heads/main',
      `Change ${c}: update ${[...touched][0]}\n\nDetails for change ${c}.\n`,
      main,
      0,
      ops,
    );

    if (c % 40 === 0) {
      // A topic branch with a few commits on its own files, while main moves on with other
      // files; then a real merge commit (two parents) brings the topic's changes in.
      const name = `refs/heads/topic/${++topics}`;
      const mine = new Map();
      const fork = main;
      let side = fork;
      for (let k = 0; k < 2 + int(4); k++) {
        const p = pick(text);
        mine.set(p, edit(mine.get(p) ?? text.get(p)));
        side = await commit(name, `Topic ${topics}, step ${k}\n`, side, 0, [textOp(p, mine.get(p))]);
      }
      for (let k = 0; k < 1 + int(2); k++) {
        const p = pick(text, new Set(mine.keys()));
        text.set(p, edit(text.get(p)));
        main = await commit('refs/heads/main', `Change ${c}.${k} on main\n`, main, 0, [
          textOp(p, text.get(p)),
        ]);
      }
      const mergeOps = [];
      for (const [p, lines] of mine) {
        text.set(p, lines);
        mergeOps.push(textOp(p, lines));
      }
      main = await commit('refs/heads/main', `Merge branch 'topic/${topics}'\n`, main, side, mergeOps);
      // Most topics are deleted after merging, as on a real server; some linger.
      if (topics % 4 !== 0)
        await write(Buffer.from(`reset ${name}\nfrom 0000000000000000000000000000000000000000\n\n`));
    }
    if (c % 100 === 0) await write(Buffer.from(`reset refs/tags/build-${c}\nfrom :${main}\n\n`));
    if (c % 250 === 0) {
      const v = `v${Math.floor(c / 250)}.0`;
      await write(
        Buffer.from(`tag ${v}\nfrom :${main}\ntagger Release Bot <release@example.com> ${time + 1} +0000\n`),
      );
      await write(data(`Release ${v}\n`));
      await write(Buffer.from(`reset refs/heads/release/${v}\nfrom :${main}\n\n`));
    }
  }
  await write(Buffer.from('done\n'));
  return shape.commits;
}

function git(args, opts = {}) {
  const r = spawnSync('git', args, { env: gitEnv(), encoding: 'utf8', maxBuffer: 1 << 28, ...opts });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** Pack size in bytes of a repository (after repack: its one pack). */
export function packBytes(dir) {
  const out = git(['-C', dir, 'count-objects', '-v']);
  const kib = Number(/size-pack: (\d+)/.exec(out)?.[1] ?? 0);
  return kib * 1024;
}

/**
 * The bare repository for `size` under `cacheDir`, built on first use. Building goes to a
 * temporary directory and is renamed into place only when complete, so an interrupted build
 * is never mistaken for a cached one.
 */
export async function ensureRepo(cacheDir, size, log = console.error) {
  const shape = SIZES[size];
  if (!shape) throw new Error(`unknown size ${size}`);
  const dir = join(cacheDir, `${size}.git`);
  const stamp = join(dir, 'bench-generator');
  // The stamp names the generator and the shape, so changing either rebuilds just that size.
  const stampText = `${GENERATOR_VERSION} ${JSON.stringify(shape)}`;
  if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === stampText) return dir;
  rmSync(dir, { recursive: true, force: true });
  const tmp = join(cacheDir, `${size}.git.building`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(cacheDir, { recursive: true });
  git(['init', '-q', '--bare', '-b', 'main', tmp]);
  log(`building the ${size} test repository (${shape.commits} commits; once, then cached)...`);
  const started = Date.now();
  const fi = spawn('git', ['-C', tmp, 'fast-import', '--quiet', '--done'], {
    env: gitEnv(),
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let stderr = '';
  fi.stderr.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise((res) => fi.on('close', (code) => res(code)));
  await writeHistory(shape, fi.stdin);
  fi.stdin.end();
  const code = await exited;
  if (code !== 0) throw new Error(`git fast-import failed (${code}): ${stderr}`);
  // fast-import's pack is loosely compressed; a full repack gives the pack a served repository
  // would have after `git gc` (with the reachability bitmap git writes for bare repositories).
  git(['-C', tmp, 'repack', '-a', '-d', '-f', '-b', '--window=10', '--depth=50', '-q']);
  git(['-C', tmp, 'pack-refs', '--all']);
  writeFileSync(join(tmp, 'bench-generator'), `${stampText}\n`);
  renameSync(tmp, dir);
  log(
    `built ${size} in ${((Date.now() - started) / 1000).toFixed(0)} s: ${(packBytes(dir) / 1048576).toFixed(1)} MiB of pack`,
  );
  return dir;
}

// Run directly to (re)build one repository: node scripts/lib/bench-repo.mjs DIR SIZE
if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, size] = process.argv.slice(2);
  await ensureRepo(dir, size, console.log);
}
