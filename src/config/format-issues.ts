import type { z } from 'zod';
import type { ConfigProblem } from '../errors/index.js';

/** `['cameras', 1, 'rules', 0, 'zone']` → `cameras[1].rules[0].zone`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** Zod issues → problems a person can act on: a path, what is wrong, and how to fix it. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], knownKeys: (path: readonly PropertyKey[]) => readonly string[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    const path = formatPath(issue.path);
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          const hint = suggest(key, knownKeys(issue.path));
          problems.push({
            path: formatPath([...issue.path, key]),
            message: `unknown field${hint ? `: did you mean "${hint}"?` : `: remove it (known fields: ${knownKeys(issue.path).join(', ')})`}`,
          });
        }
        break;
      case 'invalid_union': {
        const options = (issue as { options?: unknown[] }).options;
        if (Array.isArray(options) && options.length > 0) {
          const field = formatPath(issue.path);
          problems.push({ path: field, message: `unknown ${field.endsWith('type') ? 'type' : 'value'}: use one of ${options.join(', ')}` });
        } else problems.push({ path, message: issue.message });
        break;
      }
      case 'invalid_type':
        if (issue.message.includes('received undefined')) {
          problems.push({ path, message: `missing: this field is required (expected ${issue.expected})` });
        } else problems.push({ path, message: issue.message.startsWith('Invalid input') ? `wrong type: ${issue.message.replace(/^Invalid input: /, '')}` : issue.message });
        break;
      case 'invalid_value':
        problems.push({
          path,
          message: issue.message.startsWith('Invalid option')
            ? `unknown value: use one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`
            : issue.message,
        });
        break;
      default:
        problems.push({ path, message: issue.message });
    }
  }
  return problems;
}

/** The closest known key within edit distance 2, for typos. */
export function suggest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
