interface Node<K, V> {
  readonly key: K;
  value: V;
  /** Toward the least recently used end. */
  older: Node<K, V> | null;
  newer: Node<K, V> | null;
}

/**
 * A least-recently-used cache bounded by total byte size (values larger than the bound are not
 * kept). Recency is a linked list: relying on a Map's insertion order (delete and re-insert on
 * use, evict from the front) left the Map's table full of deleted slots that every eviction
 * stepped over again, a tenth of resolving a pack's deltas.
 */
export class ByteLru<K, V extends { readonly byteLength: number }> {
  private readonly map = new Map<K, Node<K, V>>();
  private oldest: Node<K, V> | null = null;
  private newest: Node<K, V> | null = null;
  private bytes = 0;

  constructor(private maxBytes: number) {}

  /** Change the bound, evicting the least recently used values down to it. */
  setLimit(maxBytes: number): void {
    this.maxBytes = maxBytes;
    this.evictOver();
  }

  get(key: K): V | undefined {
    const node = this.map.get(key);
    if (node === undefined) return undefined;
    if (node !== this.newest) {
      this.unlink(node);
      this.append(node);
    }
    return node.value;
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  set(key: K, value: V): void {
    const old = this.map.get(key);
    if (old !== undefined) {
      this.bytes -= old.value.byteLength;
      this.map.delete(key);
      this.unlink(old);
    }
    if (value.byteLength > this.maxBytes) return;
    const node: Node<K, V> = { key, value, older: null, newer: null };
    this.map.set(key, node);
    this.append(node);
    this.bytes += value.byteLength;
    this.evictOver();
  }

  /** Let go of `key`'s value now (its last reader is done with it). */
  delete(key: K): void {
    const node = this.map.get(key);
    if (node === undefined) return;
    this.unlink(node);
    this.map.delete(key);
    this.bytes -= node.value.byteLength;
  }

  private evictOver(): void {
    while (this.bytes > this.maxBytes && this.oldest !== null) {
      const evict = this.oldest;
      this.unlink(evict);
      this.map.delete(evict.key);
      this.bytes -= evict.value.byteLength;
    }
  }

  get size(): number {
    return this.map.size;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  clear(): void {
    this.map.clear();
    this.oldest = null;
    this.newest = null;
    this.bytes = 0;
  }

  private append(node: Node<K, V>): void {
    node.older = this.newest;
    node.newer = null;
    if (this.newest !== null) this.newest.newer = node;
    else this.oldest = node;
    this.newest = node;
  }

  private unlink(node: Node<K, V>): void {
    if (node.older !== null) node.older.newer = node.newer;
    else this.oldest = node.newer;
    if (node.newer !== null) node.newer.older = node.older;
    else this.newest = node.older;
    node.older = null;
    node.newer = null;
  }
}
