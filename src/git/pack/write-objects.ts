import { GitError } from '../errors';
import { typeToPackType } from '../object-header';
import type { GitObject, ObjectType } from '../store';
import { toReadableStream } from '../stream';
import { createDelta } from './delta-create';
import { encodeEntryHeader, encodeOfsDelta } from './entry-header';
import { PackOutput, packHeader } from './write-pack';
import { deflateBytes } from './zlib';

export interface WriteObjectsOptions {
  /** Try ofs-deltas against recent objects of the same type (default true). */
  readonly deltas?: boolean;
  /** How many recent objects to try as bases (default 10). */
  readonly window?: number;
}

/** Objects larger than this are neither delta bases nor delta targets (keeps the window small). */
const MAX_DELTA_OBJECT = 1024 * 1024;
const MIN_DELTA_OBJECT = 64;

interface WindowItem {
  readonly type: ObjectType;
  readonly data: Uint8Array;
  readonly offset: number;
}

/**
 * Stream a v2 pack of newly created objects (merges, web edits). `count` goes into the header
 * before any object is seen, so producing a different number of objects is an error.
 */
export function writePackFromObjects(
  objects: AsyncIterable<GitObject> | Iterable<GitObject>,
  count: number,
  opts: WriteObjectsOptions = {},
): ReadableStream<Uint8Array> {
  return toReadableStream(generate(objects, count, opts));
}

async function* generate(
  objects: AsyncIterable<GitObject> | Iterable<GitObject>,
  count: number,
  opts: WriteObjectsOptions,
): AsyncGenerator<Uint8Array> {
  const useDeltas = opts.deltas ?? true;
  const windowSize = opts.window ?? 10;
  const window: WindowItem[] = [];
  const out = new PackOutput();
  out.push(packHeader(count));
  let n = 0;
  for await (const obj of objects) {
    if (++n > count) throw new GitError('PACK_BAD_ENTRY', `more than the announced ${count} objects`);
    const offset = out.offset;
    const parts = useDeltas ? encodeWithDelta(obj, offset, window) : null;
    for (const p of parts ?? [
      encodeEntryHeader(typeToPackType(obj.type), obj.data.length),
      deflateBytes(obj.data),
    ]) {
      const chunk = out.push(p);
      if (chunk !== null) yield chunk;
    }
    if (useDeltas && obj.data.length <= MAX_DELTA_OBJECT) {
      window.push({ type: obj.type, data: obj.data, offset });
      if (window.length > windowSize) window.shift();
    }
  }
  if (n !== count) throw new GitError('PACK_BAD_ENTRY', `announced ${count} objects, got ${n}`);
  const rest = out.flush();
  if (rest !== null) yield rest;
  yield out.trailer();
}

function encodeWithDelta(obj: GitObject, offset: number, window: readonly WindowItem[]): Uint8Array[] | null {
  if (obj.data.length < MIN_DELTA_OBJECT || obj.data.length > MAX_DELTA_OBJECT) return null;
  let best: { delta: Uint8Array; base: WindowItem } | null = null;
  for (const base of window) {
    if (base.type !== obj.type) continue;
    // Only worth it if the delta is clearly smaller than the object.
    const limit = Math.min(best ? best.delta.length - 1 : Number.MAX_SAFE_INTEGER, obj.data.length >> 1);
    const delta = createDelta(base.data, obj.data, limit);
    if (delta !== null) best = { delta, base };
  }
  if (best === null) return null;
  return [
    encodeEntryHeader(6, best.delta.length),
    encodeOfsDelta(offset - best.base.offset),
    deflateBytes(best.delta),
  ];
}
