// The API's named objects (Repository, User, Issue, ...): each is one component of the OpenAPI
// document, referred to by name wherever a route answers or reads it.
import type { z } from 'zod';

const NAMES = new Map<z.ZodType, string>();

/** Gives an object schema its component name (the name Gitea's swagger uses). */
export function named<T extends z.ZodType>(name: string, schema: T): T {
  NAMES.set(schema, name);
  return schema;
}

export function nameOf(schema: z.ZodType): string | undefined {
  return NAMES.get(schema);
}

export function namedSchemas(): [z.ZodType, string][] {
  return [...NAMES];
}
