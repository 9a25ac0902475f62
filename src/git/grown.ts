/** A typed column copied into a larger one (`to`, made by the caller at the new size). */
export function grown<T extends Uint8Array | Uint32Array | Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
