/** Annotated tag objects: parse and serialize, byte exact for well-formed tags. */
import { concatBytes } from '../bytes';
import type { ObjectType, Oid } from '../store';
import { malformed } from './errors';
import { latin1Decode, type ObjectHeader, parseHeaderBlock, serializeHeader } from './headers';
import { type Ident, identBytes, parseIdent } from './ident';

export interface Tag {
  readonly object: Oid;
  readonly type: ObjectType;
  readonly tag: string;
  /** Absent in some very old tags. */
  readonly tagger: Ident | null;
  readonly extraHeaders: readonly ObjectHeader[];
  /** Message bytes after the blank line, including any trailing signature. */
  readonly message: Uint8Array | null;
}

const TYPES: readonly string[] = ['commit', 'tree', 'blob', 'tag'];

export function parseTag(data: Uint8Array): Tag {
  const { headers, message } = parseHeaderBlock('tag', data);
  let i = 0;
  const take = (key: string): Uint8Array | null =>
    i < headers.length && headers[i].key === key ? headers[i++].value : null;
  const objectBytes = take('object');
  if (!objectBytes) throw malformed('tag', 'missing object');
  const object = latin1Decode(objectBytes);
  if (!/^[0-9a-f]{40}$/.test(object)) throw malformed('tag', 'bad object oid');
  const typeBytes = take('type');
  const type = typeBytes ? latin1Decode(typeBytes) : '';
  if (!TYPES.includes(type)) throw malformed('tag', 'missing or bad type');
  const tagBytes = take('tag');
  if (!tagBytes) throw malformed('tag', 'missing tag name');
  const tag = new TextDecoder().decode(tagBytes);
  const taggerBytes = take('tagger');
  let tagger: Ident | null = null;
  if (taggerBytes) {
    tagger = parseIdent(taggerBytes);
    if (!tagger) throw malformed('tag', 'bad tagger');
  }
  return { object, type: type as ObjectType, tag, tagger, extraHeaders: headers.slice(i), message };
}

export function serializeTag(tag: Tag): Uint8Array {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [
    serializeHeader('object', enc.encode(tag.object)),
    serializeHeader('type', enc.encode(tag.type)),
    serializeHeader('tag', enc.encode(tag.tag)),
  ];
  if (tag.tagger) parts.push(serializeHeader('tagger', identBytes(tag.tagger)));
  for (const h of tag.extraHeaders) parts.push(serializeHeader(h.key, h.value));
  if (tag.message) parts.push(Uint8Array.of(0x0a), tag.message);
  return concatBytes(parts);
}

/** The object a tag points to and its type, without decoding the rest. */
export function parseTagTarget(data: Uint8Array): { object: Oid; type: ObjectType } {
  const t = parseTag(data);
  return { object: t.object, type: t.type };
}
