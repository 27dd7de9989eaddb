/**
 * A one-entry cache for the facts the rules share about a file (its body, text blocks, links, schema issues): they
 * are needed only while that file is checked, and files are checked one after another, so remembering the last file's
 * is enough. It holds that file until the next one replaces it.
 *
 * Not a WeakMap: once the WeakMap itself had been promoted to V8's old generation, the young-generation GC kept
 * alive whatever its entries pointed at (every file's facts, its whole mdast among them) until a full GC. At 1,000
 * cases each scavenge copied ~3.5 MB instead of ~0.5 MB, and lint spent ~0.2 s more in GC (bench/README.md).
 */
export class LastFileCache<K, V> {
  private key: K | undefined;
  private value: V | undefined;

  get(key: K): V | undefined {
    return key === this.key ? this.value : undefined;
  }

  set(key: K, value: V): void {
    this.key = key;
    this.value = value;
  }
}
