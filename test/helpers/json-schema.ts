// A validator for the OpenAPI 3.0 schema objects the server's description holds (what zod's
// `openapi-3.0` target emits: $ref to components, type, nullable, enum, properties, required,
// additionalProperties, items, anyOf/oneOf/allOf). Strict as the schemas are: an unknown field of
// a closed object, a missing required one or a wrong type is an error. Kept apart from the
// server's code, so a bug in the generator cannot hide itself here.

type Schema = Record<string, unknown>;

export class SchemaValidator {
  constructor(private readonly components: Record<string, Schema>) {}

  /** The problems of `value` against `schema`, each prefixed by its JSON path; [] when valid. */
  errors(schema: Schema, value: unknown, path = '$'): string[] {
    const ref = schema.$ref;
    if (typeof ref === 'string') {
      const name = ref.replace('#/components/schemas/', '');
      const target = this.components[name];
      if (!target) return [`${path}: unresolved $ref ${ref}`];
      return this.errors(target, value, path);
    }
    if (value === null) {
      if (schema.nullable === true) return [];
      if (!schema.type && !schema.anyOf && !schema.oneOf && !schema.allOf) return [];
      if (schema.anyOf || schema.oneOf) return this.variants(schema, value, path);
      return [`${path}: null where ${String(schema.type)} is expected`];
    }
    if (Array.isArray(schema.enum) && !schema.enum.includes(value)) {
      return [`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`];
    }
    if (schema.allOf) return (schema.allOf as Schema[]).flatMap((s) => this.errors(s, value, path));
    if (schema.anyOf || schema.oneOf) return this.variants(schema, value, path);
    switch (schema.type) {
      case undefined:
        return [];
      case 'string':
        return typeof value === 'string' ? [] : [`${path}: expected a string, got ${JSON.stringify(value)}`];
      case 'boolean':
        return typeof value === 'boolean'
          ? []
          : [`${path}: expected a boolean, got ${JSON.stringify(value)}`];
      case 'number':
        return typeof value === 'number' ? [] : [`${path}: expected a number, got ${JSON.stringify(value)}`];
      case 'integer':
        return Number.isInteger(value) ? [] : [`${path}: expected an integer, got ${JSON.stringify(value)}`];
      case 'array':
        if (!Array.isArray(value)) return [`${path}: expected an array`];
        return value.flatMap((v, i) => this.errors((schema.items ?? {}) as Schema, v, `${path}[${i}]`));
      case 'object':
        return this.object(schema, value, path);
      default:
        return [`${path}: unknown schema type ${String(schema.type)}`];
    }
  }

  private variants(schema: Schema, value: unknown, path: string): string[] {
    const options = (schema.anyOf ?? schema.oneOf) as Schema[];
    const results = options.map((s) => this.errors(s, value, path));
    if (results.some((r) => r.length === 0)) return [];
    return [`${path}: matches none of ${options.length} variants (${results.map((r) => r[0]).join('; ')})`];
  }

  private object(schema: Schema, value: unknown, path: string): string[] {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return [`${path}: expected an object`];
    const record = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    const problems: string[] = [];
    for (const name of (schema.required ?? []) as string[]) {
      if (!(name in record)) problems.push(`${path}.${name}: required field missing`);
    }
    for (const [name, v] of Object.entries(record)) {
      const s = properties[name];
      if (s) problems.push(...this.errors(s, v, `${path}.${name}`));
      else if (schema.additionalProperties === false)
        problems.push(`${path}.${name}: field not in the schema`);
      else if (typeof schema.additionalProperties === 'object')
        problems.push(...this.errors(schema.additionalProperties as Schema, v, `${path}.${name}`));
    }
    return problems;
  }
}
