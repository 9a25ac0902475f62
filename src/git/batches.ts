/**
 * Items in lists of `size` (the last may be shorter), taken as they come: lookups go to a store
 * in batches without listing hundreds of thousands of ids first.
 */
export function* batches<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let batch: T[] = [];
  for (const item of items) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
