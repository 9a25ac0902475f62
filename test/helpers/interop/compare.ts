/**
 * Run the same git command sequence against our server and against a `file://` copy of the same
 * repository, then compare what the client ended up with: refs, commits, shallow file and the
 * set of objects a partial clone left out. git's own upload-pack is the reference.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GIT_ENV, makeTempDir } from '../git';
import { gitAsync, gitOk } from '../node-git-server';

export type Version = 0 | 1 | 2;

export interface ClientState {
  /** The temporary directory the script ran in (the caller removes it). */
  readonly dir: string;
  readonly refs: string;
  readonly commits: string;
  readonly shallow: string;
  readonly missing: string;
  /** Loose objects, for steps that fetch with a high unpack limit (objects transferred). */
  readonly loose: number;
  /** Whatever else the script recorded (command output that must match). */
  readonly notes: readonly string[];
}

export interface Client {
  readonly dir: string;
  readonly url: string;
  readonly version: Version;
  /** git with the protocol version set; throws on failure. */
  git(args: readonly string[], cwd?: string): Promise<string>;
  note(value: string): void;
}

export type Script = (c: Client) => Promise<void>;

/** git's configuration for a run: the protocol version and lazy fetches allowed. */
function versionArgs(version: Version): string[] {
  return [
    '-c',
    `protocol.version=${version}`,
    '-c',
    'fetch.unpackLimit=1000000',
    '-c',
    'advice.detachedHead=false',
  ];
}

export async function runScript(
  url: string,
  version: Version,
  script: Script,
  env = GIT_ENV,
): Promise<ClientState> {
  const dir = makeTempDir('gitflare-interop-');
  const notes: string[] = [];
  const client: Client = {
    dir,
    url,
    version,
    async git(args, cwd = dir) {
      const r = await gitOk(cwd, [...versionArgs(version), ...args], env);
      return r.stdout;
    },
    note(value) {
      notes.push(value);
    },
  };
  await script(client);
  return { ...(await clientState(join(dir, 'c'), env)), notes, dir };
}

/** The state of the clone in `dir` (by convention scripts clone into `c`). */
export async function clientState(dir: string, env = GIT_ENV): Promise<Omit<ClientState, 'notes' | 'dir'>> {
  const run = async (args: string[]) => (await gitOk(dir, args, env)).stdout;
  const gitDir = (await run(['rev-parse', '--absolute-git-dir'])).trim();
  const shallow = await readFile(join(gitDir, 'shallow'), 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return '';
    throw e;
  });
  const all = await run(['rev-list', '--objects', '--all', '--missing=print']);
  const missing = all
    .split('\n')
    .filter((l) => l.startsWith('?'))
    .sort()
    .join('\n');
  const count = await run(['count-objects', '-v']);
  const loose = Number(/^count: (\d+)$/m.exec(count)?.[1] ?? '0');
  const fsck = await gitAsync(dir, ['fsck', '--connectivity-only', '--no-dangling'], env);
  // A partial clone's fsck accepts its missing promisor objects; anything else is a failure.
  if (fsck.code !== 0) throw new Error(`fsck failed in ${dir}: ${fsck.stderr}`);
  return {
    refs: await run(['for-each-ref', '--format=%(objectname) %(refname)']),
    commits: (await run(['rev-list', '--all'])).split('\n').sort().join('\n'),
    shallow: shallow.split('\n').filter(Boolean).sort().join('\n'),
    missing,
    loose,
  };
}

/** Run `script` against both URLs with one protocol version; returns [ours, git's]. */
export async function bothStates(
  ours: string,
  reference: string,
  version: Version,
  script: Script,
  env = GIT_ENV,
): Promise<[ClientState, ClientState]> {
  const a = await runScript(ours, version, script, env);
  const b = await runScript(reference, version, script, env);
  return [a, b];
}
