/**
 * Other git clients driven as a CI job would: dulwich and pygit2 (libgit2) through small
 * Python scripts, isomorphic-git in-process. Each returns the refs it ended up with.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import git from 'isomorphic-git';
import http from 'isomorphic-git/http/node';

/** The Python with dulwich and pygit2 (the system one; override with INTEROP_PYTHON). */
const PYTHON = process.env.INTEROP_PYTHON ?? '/usr/bin/python3';

export function python(script: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ['-c', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`python failed (${code}):\n${err}`)),
    );
  });
}

/** dulwich: clone, then commit a file and push it back; prints the remote refs it saw. */
export const DULWICH_CLONE_PUSH = `
import sys
from dulwich import porcelain
from dulwich.client import HttpGitClient
url, auth_url, dest, branch = sys.argv[1:5]
repo = porcelain.clone(url, dest, checkout=True, errstream=open('/dev/null', 'wb'))
open(dest + '/dulwich.txt', 'w').write('from dulwich\\n')
porcelain.add(repo, [dest + '/dulwich.txt'])
porcelain.commit(repo, message=b'dulwich commit', author=b'D <d@example.com>', committer=b'D <d@example.com>')
porcelain.push(repo, auth_url, b'HEAD:refs/heads/' + branch.encode(), errstream=open('/dev/null', 'wb'))
porcelain.fetch(repo, url, errstream=open('/dev/null', 'wb'))
client = HttpGitClient(url.rsplit('/', 2)[0] + '/')
refs = client.get_refs(url.split('/', 3)[3])
refs = getattr(refs, 'refs', refs)
for name in sorted(refs):
    print(refs[name].decode(), name.decode())
`;

/** pygit2 (libgit2): clone, fetch, commit and push with a credentials callback. */
export const PYGIT2_CLONE_PUSH = `
import sys, pygit2
url, user, token, dest, branch = sys.argv[1:6]
cb = pygit2.RemoteCallbacks(credentials=pygit2.UserPass(user, token))
repo = pygit2.clone_repository(url, dest, callbacks=cb)
repo.remotes['origin'].fetch(callbacks=cb)
sig = pygit2.Signature('P', 'p@example.com')
blob = repo.create_blob(b'from pygit2\\n')
tb = repo.TreeBuilder(repo.head.peel().tree)
tb.insert('pygit2.txt', blob, pygit2.GIT_FILEMODE_BLOB)
oid = repo.create_commit(None, sig, sig, 'pygit2 commit', tb.write(), [repo.head.target])
repo.references.create('refs/heads/' + branch, oid)
repo.remotes['origin'].push(['refs/heads/%s:refs/heads/%s' % (branch, branch)], callbacks=cb)
print(str(oid))
for name in sorted(repo.references):
    print(str(repo.references[name].resolve().target), name)
`;

export interface IsoResult {
  readonly head: string;
  readonly pushed: string;
}

/** isomorphic-git: clone, fetch, commit and push with onAuth. */
export async function isomorphicCloneFetchPush(
  url: string,
  dir: string,
  auth: { username: string; password: string },
  branch: string,
): Promise<IsoResult> {
  await git.clone({ fs, http, dir, url, singleBranch: false });
  await git.fetch({ fs, http, dir, url });
  const head = await git.resolveRef({ fs, dir, ref: 'HEAD' });
  fs.writeFileSync(`${dir}/iso.txt`, 'from isomorphic-git\n');
  await git.add({ fs, dir, filepath: 'iso.txt' });
  const pushed = await git.commit({
    fs,
    dir,
    message: 'isomorphic-git commit',
    author: { name: 'I', email: 'i@example.com', timestamp: 1700000000, timezoneOffset: 0 },
  });
  await git.push({ fs, http, dir, url, ref: 'HEAD', remoteRef: `refs/heads/${branch}`, onAuth: () => auth });
  return { head, pushed };
}
