import { PackError } from './errors';
import type { ObjectType } from './store';

/** Pack entry type numbers (3 bits in each entry header); 5 is reserved. */
export const PACK_TYPE = {
  commit: 1,
  tree: 2,
  blob: 3,
  tag: 4,
  ofsDelta: 6,
  refDelta: 7,
} as const;

export type PackTypeNumber = 1 | 2 | 3 | 4 | 6 | 7;

const OBJECT_TYPES: readonly (ObjectType | null)[] = [
  null,
  'commit',
  'tree',
  'blob',
  'tag',
  null,
  null,
  null,
];

export function typeToPackType(type: ObjectType): 1 | 2 | 3 | 4 {
  return PACK_TYPE[type];
}

/** The object type of a non-delta pack type number, or null for deltas and invalid numbers. */
export function packTypeToType(n: number): ObjectType | null {
  return OBJECT_TYPES[n] ?? null;
}

export function isObjectType(s: string): s is ObjectType {
  return s === 'commit' || s === 'tree' || s === 'blob' || s === 'tag';
}

export function assertPackType(n: number): PackTypeNumber {
  if (n === 1 || n === 2 || n === 3 || n === 4 || n === 6 || n === 7) return n;
  throw new PackError('PACK_BAD_ENTRY', `invalid pack entry type ${n}`);
}

/**
 * The loose-object header "<type> <size>\0" that git hashes in front of the content. Written
 * byte by byte: it is built for every object of a pack, and a TextEncoder call cost more than
 * hashing a small object.
 */
export function objectHeader(type: ObjectType, size: number): Uint8Array {
  const out = new Uint8Array(objectHeaderLength(type, size));
  writeObjectHeader(type, size, out, 0);
  return out;
}

/** The length of `objectHeader(type, size)`. */
export function objectHeaderLength(type: ObjectType, size: number): number {
  let n = 1;
  for (let p = 10; p <= size; p *= 10) n++;
  return type.length + n + 2;
}

/** Writes `objectHeader(type, size)` at `out[at..]` (the caller made room); returns its length. */
export function writeObjectHeader(type: ObjectType, size: number, out: Uint8Array, at: number): number {
  const length = objectHeaderLength(type, size);
  for (let i = 0; i < type.length; i++) out[at + i] = type.charCodeAt(i);
  out[at + type.length] = 0x20;
  let v = size;
  for (let i = at + length - 2; i > at + type.length; i--) {
    out[i] = 0x30 + (v % 10);
    v = Math.floor(v / 10);
  }
  out[at + length - 1] = 0;
  return length;
}
