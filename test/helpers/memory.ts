/** What a Node test can say of the memory it holds: V8's heap and array buffers after full collections. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Bytes held (heap used plus array buffers) once garbage is collected. */
export async function settledBytes(): Promise<number> {
  const gc = collector();
  gc();
  // Array buffers are freed by a concurrent sweeper: let it run before measuring.
  await new Promise((r) => setTimeout(r, 20));
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}
