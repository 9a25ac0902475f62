// Types for the V8-flags stand-in for workerd, whose heap cap the end-to-end tests use.
export const WORKER_HEAP_FLAGS: string;
