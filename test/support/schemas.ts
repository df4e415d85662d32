import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SHARED_DIR } from './paths.js';

const VALIDATE = join(SHARED_DIR, 'schemas', 'onvif', 'validate');

export interface ValidationResult {
  ok: boolean;
  output: string;
}

/**
 * Validates documents with the official ONVIF schemas (`../shared/schemas/onvif/validate soap|discovery|metadata`,
 * xmllint), all files in one call. Each document is written to `dir` under its name first.
 */
export async function validateDocuments(kind: 'soap' | 'discovery' | 'metadata', dir: string, documents: Record<string, string>): Promise<ValidationResult> {
  const files: string[] = [];
  for (const [name, xml] of Object.entries(documents)) {
    const file = join(dir, `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.xml`);
    await writeFile(file, xml);
    files.push(file);
  }
  return new Promise((resolve) => {
    execFile(VALIDATE, [kind, ...files], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ ok: !error, output: `${stdout}${stderr}` });
    });
  });
}
