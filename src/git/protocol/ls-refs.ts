/** Protocol v2 `ls-refs`: refs with symref targets, peeled tags, prefixes and unborn HEAD. */
import { concatBytes } from '../bytes';
import { encodePktLines, flushPkt } from '../pktline';
import { ProtocolError } from './errors';
import { checkArgument, PROTOCOL_LIMITS } from './limits';
import { listRefs } from './refs';
import type { GitRepository } from './repository';

/** Ref lines per yielded chunk. */
const BATCH = 1000;

export async function* lsRefs(
  args: AsyncIterable<string> | Iterable<string>,
  repo: GitRepository,
): AsyncGenerator<Uint8Array> {
  let peel = false;
  let symrefs = false;
  let unborn = false;
  let prefixes: string[] = [];
  // Past the cap, prefixes are dropped and every ref listed, as git's ls-refs does: a prefix only
  // narrows the answer, and the client keeps what it asked for.
  let tooManyPrefixes = false;
  for await (const a of args) {
    if (a === 'peel') peel = true;
    else if (a === 'symrefs') symrefs = true;
    else if (a === 'unborn') unborn = true;
    else if (a.startsWith('ref-prefix ')) {
      const prefix = checkArgument('ref-prefix', a.slice('ref-prefix '.length));
      if (tooManyPrefixes) continue;
      if (prefixes.length < PROTOCOL_LIMITS.refPrefixes) prefixes.push(prefix);
      else {
        tooManyPrefixes = true;
        prefixes = [];
      }
    } else throw new ProtocolError(`unexpected line: '${a}'`);
  }
  const matches = (name: string): boolean =>
    prefixes.length === 0 || prefixes.some((p) => name.startsWith(p));
  // Let the store narrow the listing only when every prefix names refs under refs/.
  const storePrefixes =
    prefixes.length > 0 && prefixes.every((p) => p.startsWith('refs/')) ? prefixes : undefined;
  const { headTarget, head, refs } = await listRefs(repo, storePrefixes);
  // Many refs: yield packets in batches, so 10,000 refs are a few stream chunks, not 10,000.
  const batch: string[] = [];
  if (matches('HEAD')) {
    const target = symrefs ? ` symref-target:${headTarget}` : '';
    if (head !== null) batch.push(`${head} HEAD${target}\n`);
    else if (unborn) batch.push(`unborn HEAD${target}\n`);
  }
  for (const r of refs) {
    if (!matches(r.name)) continue;
    const peeled = peel && r.peeled !== undefined ? ` peeled:${r.peeled}` : '';
    batch.push(`${r.oid} ${r.name}${peeled}\n`);
    if (batch.length >= BATCH) yield encodePktLines(batch.splice(0));
  }
  yield concatBytes([encodePktLines(batch), flushPkt()]);
}
