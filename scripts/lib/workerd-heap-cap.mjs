// Adds V8 flags to the configuration Miniflare sends workerd, so that a local server can run with
// its isolates' heap capped as a Worker's is in production (128 MB). Miniflare has no option for
// V8 flags and workerd takes them only from its configuration (`Config.v8Flags`), so
// workerd-heap-cap.sh stands in for the workerd binary (MINIFLARE_WORKERD_PATH, set by
// scripts/start.mjs when GITFLARE_V8_FLAGS is given): it runs this file, which reads the binary
// Cap'n Proto message from stdin, writes it with the flags to the file named by its argument and
// prints the real workerd's path, then becomes workerd on that file.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * A V8 heap of at most ~124 MiB (old generation 112 MiB, young generation 3 x 4 MiB), under a
 * Worker's 128 MB: the end-to-end tests and the benchmark run the server with it, so work that
 * outgrows a production isolate fails there too. Array buffers are outside V8's heap and not
 * capped by it.
 */
export const WORKER_HEAP_FLAGS = '--max-old-space-size=112 --max-semi-space-size=4';

/** Index of Config.v8Flags among Config's pointer fields (workerd.capnp: `v8Flags @2 :List(Text)`). */
const V8_FLAGS_POINTER = 2;
const WORD = 8;

/**
 * Returns the message with Config.v8Flags set to `texts`. The list and its texts are appended to
 * segment 0: growing a segment at its end moves nothing another pointer refers to, since pointers
 * into other segments are far pointers by segment and offset.
 */
function withV8Flags(message, texts) {
  const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
  const segments = view.getUint32(0, true) + 1;
  const tableWords = Math.ceil((4 + 4 * segments) / WORD);
  const sizes = Array.from({ length: segments }, (_, i) => view.getUint32(4 + 4 * i, true));
  const seg0Start = tableWords * WORD;
  const seg0 = message.subarray(seg0Start, seg0Start + sizes[0] * WORD);
  const s0 = new DataView(seg0.buffer, seg0.byteOffset, seg0.byteLength);

  // Root: a struct pointer in word 0 of segment 0.
  const root = s0.getBigUint64(0, true);
  if ((root & 3n) !== 0n) throw new Error('config root is not a struct pointer');
  const offset = Number(BigInt.asIntN(30, (root >> 2n) & 0x3fffffffn));
  const dataWords = Number((root >> 32n) & 0xffffn);
  const ptrWords = Number((root >> 48n) & 0xffffn);
  if (ptrWords <= V8_FLAGS_POINTER) throw new Error('config struct has no v8Flags slot');
  const slotWord = 1 + offset + dataWords + V8_FLAGS_POINTER;
  if (s0.getBigUint64(slotWord * WORD, true) !== 0n) throw new Error('config already has v8Flags');

  // Appended: the list of text pointers, then each text (NUL-terminated, padded to a word).
  const encoded = texts.map((t) => new TextEncoder().encode(`${t}\0`));
  const textWords = encoded.map((b) => Math.ceil(b.length / WORD));
  const addWords = texts.length + textWords.reduce((a, b) => a + b, 0);
  const listWord = sizes[0];
  const out = new Uint8Array(message.length + addWords * WORD);
  out.set(message.subarray(0, seg0Start + seg0.length));
  out.set(message.subarray(seg0Start + seg0.length), seg0Start + seg0.length + addWords * WORD);
  const o = new DataView(out.buffer);
  o.setUint32(4, sizes[0] + addWords, true);
  const at = (word) => seg0Start + word * WORD;
  const listPointer = (fromWord, toWord, elementSize, count) =>
    1n |
    (BigInt.asUintN(30, BigInt(toWord - fromWord - 1)) << 2n) |
    (BigInt(elementSize) << 32n) |
    (BigInt(count) << 35n);
  o.setBigUint64(at(slotWord), listPointer(slotWord, listWord, 6, texts.length), true);
  let textWord = listWord + texts.length;
  encoded.forEach((bytes, i) => {
    o.setBigUint64(at(listWord + i), listPointer(listWord + i, textWord, 2, bytes.length), true);
    out.set(bytes, at(textWord));
    textWord += textWords[i];
  });
  return out;
}

async function main() {
  const flags = (process.env.GITFLARE_V8_FLAGS ?? '').split(/\s+/).filter(Boolean);
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  writeFileSync(process.argv[2], withV8Flags(new Uint8Array(Buffer.concat(chunks)), flags));
  process.stdout.write(createRequire(import.meta.url)('workerd').default);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
