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

/** `input` as sorted unique 20-byte records. */
export function sortedIdColumn(input: WriteIds): Uint8Array {
  const n = input.length;
  const raw = new Uint8Array(n * OID_BYTES);
  if (Array.isArray(input)) {
    const oids = input as readonly Oid[];
    for (let i = 0; i < n; i++) {
      if (!hexInto(oids[i], raw, i * OID_BYTES))
        throw new ObjectError('INVALID_OID', `invalid object id: ${oids[i]}`);
    }
  } else {
    const list = input as IdList;
    for (let i = 0; i < n; i++) list.bytesInto(i, raw, i * OID_BYTES);
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => compareAt(raw, a * OID_BYTES, raw, b * OID_BYTES));
  let unique = 0;
  for (let k = 0; k < n; k++) {
    if (k > 0 && compareAt(raw, order[k] * OID_BYTES, raw, order[k - 1] * OID_BYTES) === 0) continue;
    unique++;
  }
  const ids = new Uint8Array(unique * OID_BYTES);
  let row = 0;
  for (let k = 0; k < n; k++) {
    if (k > 0 && compareAt(raw, order[k] * OID_BYTES, raw, order[k - 1] * OID_BYTES) === 0) continue;
    ids.set(raw.subarray(order[k] * OID_BYTES, order[k] * OID_BYTES + OID_BYTES), row * OID_BYTES);
    row++;
  }
  return ids;
}

/** The row of `oid` in a sorted id column, or -1. */
export function rowOfId(ids: Uint8Array, oid: Oid, scratch: Uint8Array): number {
  if (!hexInto(oid, scratch, 0)) return -1;
  let lo = 0;
  let hi = ids.length / OID_BYTES - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const d = compareAt(ids, mid * OID_BYTES, scratch, 0);
    if (d === 0) return mid;
    if (d < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
