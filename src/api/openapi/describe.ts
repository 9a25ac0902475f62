// A route's description, registered with the route itself: `describe({...})` is a middleware that
// only passes the request on and carries the metadata the generator reads back by walking the
// app's routes (document.ts). It is registered as its own line right above the route's handler,
// `api.get(path, describe({...}));`, so that describing a route adds lines and changes none.
import type { MiddlewareHandler } from 'hono';
import type { z } from 'zod';

/** One answer: a description, or a schema (its description is then the status'), or both. */
export type ResponseDoc =
  | string
  | z.ZodType
  | { description: string; schema?: z.ZodType; headers?: string[] };

export interface RouteDoc {
  summary: string;
  /** Groups of the browsable page and of generated clients, as Gitea's (repository, issue, ...). */
  tags: string[];
  description?: string;
  /** Gitea's operationId when it has the operation (clients generated from its swagger use it). */
  operationId?: string;
  /** Descriptions of the path's parameters (each is a required string whether listed or not). */
  params?: Record<string, string>;
  /** Query parameters, one per property; optional properties are optional parameters. */
  query?: z.ZodObject;
  /** The JSON body the route reads. */
  body?: z.ZodType;
  /** Answers by status; error answers ({message}) are documented once for all as `default`. */
  responses: Record<number, ResponseDoc>;
}

const DOCS = new WeakMap<object, RouteDoc>();

/** Marks the route it is registered for: `app.get(path, describe({...}))` above `app.get(path, handler)`. */
export function describe(doc: RouteDoc): MiddlewareHandler {
  const marker: MiddlewareHandler = (_c, next) => next();
  DOCS.set(marker, doc);
  return marker;
}

// Hono wraps a sub-app's handlers when the sub-app has its own error handler, keeping the
// original under this key.
const COMPOSED_HANDLER = '__COMPOSED_HANDLER';

/** The description a registered handler carries, if it is a `describe` marker. */
export function routeDoc(handler: unknown): RouteDoc | undefined {
  let h = handler;
  while (typeof h === 'function') {
    const doc = DOCS.get(h);
    if (doc) return doc;
    h = (h as unknown as Record<string, unknown>)[COMPOSED_HANDLER];
  }
  return undefined;
}
