/**
 * The ids a pack is written of, as one column of 20-byte records sorted by id with duplicates
 * dropped. A clone writes hundreds of thousands of objects: a Map over hex strings, a list of them
 * and a sorted copy cost ~230 bytes an object before the writer's table; here the kept column is
 * 20 bytes an object, and the row of an id is found by binary search over it.
 */
import { ObjectError } from '../errors';
import type { IdList } from '../id-list';
import { hexInto } from '../oid';
import type { Oid } from '../store';

const OID_BYTES = 20;

/** The objects to write: hex ids, or an id list (20 bytes each, no string per object). */
export type WriteIds = readonly Oid[] | IdList;

function compareAt(a: Uint8Array, i: number, b: Uint8Array, j: number): number {
  for (let k = 0; k < OID_BYTES; k++) {
    const d = a[i + k] - b[j + k];
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * `input` as sorted unique 20-byte records. The ids are copied once and sorted in place, so a
 * clone's hundreds of thousands of ids are held twice at most while the list is copied (and not
 * at all with `consume`, which empties an id list chunk by chunk as it is read): a sorted copy
 * beside the unsorted one and the list cost 60 bytes an object at the start of writing.
 */
export function sortedIdColumn(input: WriteIds, consume = false): Uint8Array {
  const n = input.length;
  const ids = new Uint8Array(n * OID_BYTES);
  if (Array.isArray(input)) {
    const oids = input as readonly Oid[];
    for (let i = 0; i < n; i++) {
      if (!hexInto(oids[i], ids, i * OID_BYTES))
        throw new ObjectError('INVALID_OID', `invalid object id: ${oids[i]}`);
    }
  } else if (consume) {
    let i = 0;
    (input as IdList).drain((bytes, at) => {
      ids.set(bytes.subarray(at, at + OID_BYTES), i * OID_BYTES);
      i++;
    });
  } else {
    const list = input as IdList;
    for (let i = 0; i < n; i++) list.bytesInto(i, ids, i * OID_BYTES);
  }
  permute(ids, sortedOrder(ids, n));
  let unique = 0;
  for (let k = 0; k < n; k++) {
    if (unique > 0 && compareAt(ids, k * OID_BYTES, ids, (unique - 1) * OID_BYTES) === 0) continue;
    if (unique !== k) ids.copyWithin(unique * OID_BYTES, k * OID_BYTES, (k + 1) * OID_BYTES);
    unique++;
  }
  return unique === n ? ids : ids.slice(0, unique * OID_BYTES);
}

/** Buckets by an id's first two bytes once a column is big enough to fill them. */
const WIDE_BUCKETS_FROM = 1 << 16;
/** Buckets up to this many records are sorted by insertion. */
const SMALL_BUCKET = 24;

/**
 * The order of `n` 20-byte records sorted by id: a counting pass over their first byte (or two,
 * for big columns) puts each in its bucket, and the few in each bucket are sorted by comparison.
 * A comparison sort of the whole column was 160 ms of a 411,000-object clone, twice, in one piece.
 */
function sortedOrder(ids: Uint8Array, n: number): Int32Array {
  const wide = n >= WIDE_BUCKETS_FROM;
  const bucketOf = wide
    ? (i: number) => (ids[i * OID_BYTES] << 8) | ids[i * OID_BYTES + 1]
    : (i: number) => ids[i * OID_BYTES];
  const start = new Int32Array((wide ? 1 << 16 : 1 << 8) + 1);
  for (let i = 0; i < n; i++) start[bucketOf(i) + 1]++;
  for (let b = 1; b < start.length; b++) start[b] += start[b - 1];
  const order = new Int32Array(n);
  const next = start.slice(0, start.length - 1);
  for (let i = 0; i < n; i++) order[next[bucketOf(i)]++] = i;
  const cmp = (a: number, b: number) => compareAt(ids, a * OID_BYTES, ids, b * OID_BYTES);
  for (let b = 0; b + 1 < start.length; b++) {
    const from = start[b];
    const to = start[b + 1];
    if (to - from < 2) continue;
    if (to - from > SMALL_BUCKET) {
      order.subarray(from, to).sort(cmp);
      continue;
    }
    for (let k = from + 1; k < to; k++) {
      const v = order[k];
      let j = k - 1;
      while (j >= from && cmp(order[j], v) > 0) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = v;
    }
  }
  return order;
}

/**
 * Reorder 20-byte records in place so that record `k` becomes the one that was at `order[k]`,
 * following each cycle of the permutation with one record of room (`order` is used up).
 */
function permute(records: Uint8Array, order: Int32Array): void {
  const held = new Uint8Array(OID_BYTES);
  for (let start = 0; start < order.length; start++) {
    if (order[start] < 0 || order[start] === start) continue;
    held.set(records.subarray(start * OID_BYTES, (start + 1) * OID_BYTES));
    let k = start;
    for (;;) {
      const from = order[k];
      order[k] = -1;
      if (from === start) {
        records.set(held, k * OID_BYTES);
        break;
      }
      records.copyWithin(k * OID_BYTES, from * OID_BYTES, (from + 1) * OID_BYTES);
      k = from;
    }
  }
}

/**
 * Whether an id is among `input`, asked as hex of a sorted copy (20 bytes an id, not a Set of
 * strings): include-tag asks it of the objects a pack is about to be written from.
 */
export function idMembership(input: WriteIds): (oid: Oid) => boolean {
  const sorted = sortedIdColumn(input);
  const scratch = new Uint8Array(OID_BYTES);
  return (oid) => rowOfId(sorted, oid, scratch) >= 0;
}

/** The row of `oid` in a sorted id column, or -1. */
export function rowOfId(ids: Uint8Array, oid: Oid, scratch: Uint8Array): number {
  return hexInto(oid, scratch, 0) ? rowOfBytes(ids, scratch, 0) : -1;
}

/** The row of the id at `key[at .. at + 20]` in a sorted id column, or -1. */
export function rowOfBytes(ids: Uint8Array, key: Uint8Array, at: number): number {
  let lo = 0;
  let hi = ids.length / OID_BYTES - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const d = compareAt(ids, mid * OID_BYTES, key, at);
    if (d === 0) return mid;
    if (d < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
