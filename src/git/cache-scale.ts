/** Objects up to which caches stay whole; past it they shrink in proportion. */
const FULL_CACHE_OBJECTS = 100_000;
const MIN_CACHE_SCALE = 0.25;

/**
 * The share of its default caches a piece of work over `count` objects gets (a push's indexer,
 * a repository's read caches). What is kept per object grows with the count; the caches give way
 * so that together they stay within an isolate's memory (a 411,000-object push measured ~173 MiB
 * at its peak with whole caches, ~126 MiB with a quarter).
 */
export function cacheScaleFor(count: number): number {
  return Math.min(1, Math.max(MIN_CACHE_SCALE, FULL_CACHE_OBJECTS / count));
}
