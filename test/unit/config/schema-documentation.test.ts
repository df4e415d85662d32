import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { z } from 'zod';
import { configSchema } from '../../../src/config/index.js';
import { defOf, fieldInfo, objectShape, unwrap } from '../../../src/config/introspect.js';

/** Every field of every section: a description, and a default unless it is optional or marked (required). */
function walk(schema: z.core.$ZodType, path: string, problems: string[]): void {
  const inner = unwrap(schema);
  const def = defOf(inner);
  if (def.type === 'union' && def.options) {
    def.options.forEach((option) => walk(option, path, problems));
    return;
  }
  if (def.type === 'array' && def.element) {
    walk(def.element, `${path}[]`, problems);
    return;
  }
  const shape = objectShape(inner);
  if (!shape) return;
  for (const [key, field] of Object.entries(shape)) {
    const info = fieldInfo(field);
    const where = path ? `${path}.${key}` : key;
    if (!info.description) problems.push(`${where}: no description`);
    const required = info.description?.includes('(required)') || key === 'type';
    if (!info.hasDefault && !info.optional && !required) problems.push(`${where}: no default (add one, make it optional, or mark it "(required)")`);
    walk(field, where, problems);
  }
}

it('documents every configuration field with a description and a default', () => {
  const problems: string[] = [];
  walk(configSchema, '', problems);
  assert.deepEqual(problems, []);
});
