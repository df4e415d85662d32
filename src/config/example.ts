import { stringify } from 'yaml';
import type { z } from 'zod';
import { defOf, fieldInfo, objectShape, schemaAt, unwrap } from './introspect.js';
import { configSchema } from './schema.js';

/** Example entries for the list sections, whose defaults are empty. */
const EXAMPLE_LISTS: Record<string, unknown> = {
  cameras: [
    {
      id: 'entrance',
      name: 'Main entrance',
      onvif: { url: 'http://192.0.2.10/onvif/device_service', username: 'vigie', password: 'change-me' },
      rules: [
        { type: 'intrusion', name: 'track-side', zone: [[0.1, 0.6], [0.5, 0.6], [0.5, 0.95], [0.1, 0.95]], minDwellSeconds: 1 },
        { type: 'line_crossing', name: 'gate', line: [[0.2, 0.5], [0.8, 0.5]], direction: 'both' },
      ],
    },
    {
      id: 'platform-2',
      rtsp: 'rtsp://vigie:change-me@192.0.2.11:554/stream2',
      rules: [{ type: 'crowd_density', name: 'platform', zone: [[0, 0.3], [1, 0.3], [1, 1], [0, 1]], maxPerSquareMetre: 3, areaSquareMetres: 120 }],
    },
  ],
  outputs: [{ type: 'webhook', name: 'control-room', url: 'https://vms.example.org/hooks/vigie', eventTypes: ['intrusion', 'crowd_density'] }],
};

/** A commented vigie.yaml with every field at its default, generated from the schemas so it cannot drift. */
export function exampleConfig(): string {
  const lines = [
    '# vigie.yaml: configuration of the Vigie ONVIF analytics bridge',
    '# Every field is optional unless marked (required); the values below are the defaults, except the example cameras and output.',
    '# Coordinates are normalised (0..1, x from the left, y from the top); durations are in seconds.',
    '# Check a file with: vigie config check vigie.yaml',
    '',
  ];
  const shape = objectShape(configSchema)!;
  for (const [key, field] of Object.entries(shape)) {
    const value = EXAMPLE_LISTS[key] ?? fieldInfo(field).defaultValue;
    emitField(lines, key, field, value, '', [key], { [key]: value });
    lines.push('');
  }
  return lines.join('\n');
}

function emitField(lines: string[], key: string, field: z.core.$ZodType, value: unknown, indent: string, path: PropertyKey[], root: unknown): void {
  const info = fieldInfo(field);
  for (const line of wrap(info.description ?? '', 100 - indent.length)) lines.push(`${indent}# ${line}`);
  const inner = unwrap(field);
  if (value === undefined) {
    lines.push(`${indent}# ${key}: (unset)`);
    return;
  }
  if (objectShape(inner) && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    lines.push(`${indent}${key}:`);
    emitObject(lines, inner, value as Record<string, unknown>, `${indent}  `, path, root, false);
    return;
  }
  const def = defOf(inner);
  if (def.type === 'array' && Array.isArray(value) && value.length > 0 && value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v))) {
    lines.push(`${indent}${key}:`);
    value.forEach((item, i) => {
      const itemSchema = schemaAt(configSchema, [...path, i], root);
      if (itemSchema) emitObject(lines, itemSchema, item as Record<string, unknown>, `${indent}  `, [...path, i], root, true);
    });
    return;
  }
  lines.push(`${indent}${key}: ${inline(value)}`);
}

function emitObject(
  lines: string[],
  schema: z.core.$ZodType,
  value: Record<string, unknown>,
  indent: string,
  path: PropertyKey[],
  root: unknown,
  listItem: boolean,
): void {
  const shape = objectShape(schema) ?? {};
  // In list items only the keys the example sets are shown; in sections every field is shown at its default.
  const keys = listItem ? Object.keys(value) : Object.keys(shape);
  keys.forEach((k, i) => {
    const field = shape[k];
    const childIndent = listItem ? `${indent}  ` : indent;
    const start = lines.length;
    if (field) emitField(lines, k, field, value[k] ?? fieldInfo(field).defaultValue, childIndent, [...path, k], root);
    else lines.push(`${childIndent}${k}: ${inline(value[k])}`);
    if (listItem && i === 0) {
      // Put the list dash on the first line of the first field (after its comments).
      const firstValueLine = lines.findIndex((l, j) => j >= start && !l.trimStart().startsWith('#'));
      if (firstValueLine >= 0) lines[firstValueLine] = `${indent}- ${lines[firstValueLine]!.slice(childIndent.length)}`;
    }
  });
}

function inline(value: unknown): string {
  return stringify(value, { flowCollectionPadding: false, collectionStyle: 'flow', lineWidth: 0 }).trimEnd();
}

function wrap(text: string, width: number): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const out: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && line.length + word.length + 1 > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}
