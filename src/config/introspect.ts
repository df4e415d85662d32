import type { z } from 'zod';

/**
 * Read-only walks over the configuration schemas, for error messages (known field names), the commented example
 * and the test that every field is documented. Relies only on zod's public `_zod.def` structure.
 */
type AnySchema = z.core.$ZodType;

interface Def {
  type: string;
  innerType?: AnySchema;
  in?: AnySchema;
  shape?: Record<string, AnySchema>;
  element?: AnySchema;
  options?: AnySchema[];
  discriminator?: string;
  defaultValue?: unknown;
  values?: unknown[];
  entries?: Record<string, unknown>;
  items?: AnySchema[];
}

export function defOf(schema: AnySchema): Def {
  return schema._zod.def;
}

/** The schema without default/prefault/optional/nullable/pipe wrappers. */
export function unwrap(schema: AnySchema): AnySchema {
  let s = schema;
  for (;;) {
    const def = defOf(s);
    if ((def.type === 'default' || def.type === 'prefault' || def.type === 'optional' || def.type === 'nullable' || def.type === 'readonly') && def.innerType) s = def.innerType;
    else if (def.type === 'pipe' && def.in) s = def.in;
    else return s;
  }
}

export interface FieldInfo {
  description: string | undefined;
  hasDefault: boolean;
  defaultValue: unknown;
  optional: boolean;
}

export function fieldInfo(schema: AnySchema): FieldInfo {
  const description = (schema as unknown as { description?: string }).description;
  let s = schema;
  let hasDefault = false;
  let defaultValue: unknown;
  let optional = false;
  for (;;) {
    const def = defOf(s);
    if (def.type === 'default' || def.type === 'prefault') {
      hasDefault = true;
      defaultValue = typeof def.defaultValue === 'function' ? (def.defaultValue as () => unknown)() : def.defaultValue;
      s = def.innerType!;
    } else if (def.type === 'optional' && def.innerType) {
      optional = true;
      s = def.innerType;
    } else break;
  }
  return { description, hasDefault, defaultValue, optional };
}

export function objectShape(schema: AnySchema): Record<string, AnySchema> | undefined {
  const def = defOf(unwrap(schema));
  return def.type === 'object' ? def.shape : undefined;
}

/** The object schema at a data path, choosing discriminated-union branches from the data itself. */
export function schemaAt(root: AnySchema, path: readonly PropertyKey[], data: unknown): AnySchema | undefined {
  let schema: AnySchema | undefined = root;
  let value: unknown = data;
  for (const key of path) {
    if (!schema) return undefined;
    schema = pickBranch(unwrap(schema), value);
    const def = defOf(schema);
    if (def.type === 'object' && typeof key === 'string') schema = def.shape?.[key];
    else if (def.type === 'array' && typeof key === 'number') schema = def.element;
    else if (def.type === 'tuple' && typeof key === 'number') schema = def.items?.[key];
    else return undefined;
    value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  }
  return schema ? pickBranch(unwrap(schema), value) : undefined;
}

function pickBranch(schema: AnySchema, value: unknown): AnySchema {
  const def = defOf(schema);
  if (def.type !== 'union' || !def.options) return schema;
  if (def.discriminator && value !== null && typeof value === 'object') {
    const tag = (value as Record<string, unknown>)[def.discriminator];
    for (const option of def.options) {
      const shape = objectShape(option);
      const literal = shape?.[def.discriminator];
      if (literal && defOf(unwrap(literal)).values?.includes(tag)) return unwrap(option);
    }
  }
  return schema;
}

/** Field names of the object schema at `path` in `data`. */
export function knownKeysAt(root: AnySchema, path: readonly PropertyKey[], data: unknown): string[] {
  const schema = schemaAt(root, path, data);
  const shape = schema ? objectShape(schema) : undefined;
  return shape ? Object.keys(shape) : [];
}
