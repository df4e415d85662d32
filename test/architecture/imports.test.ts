import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile, copyFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { REPO_ROOT } from '../support/paths.js';
import { tempDir } from '../support/temp.js';

const run = promisify(execFile);
const DEPCRUISE = join(REPO_ROOT, 'node_modules', '.bin', 'depcruise');
const require = createRequire(import.meta.url);
const { IMPORT_MATRIX } = require(join(REPO_ROOT, '.dependency-cruiser.cjs')) as { IMPORT_MATRIX: Record<string, string[]> };

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

async function cruise(cwd: string, targets: string[]): Promise<Violation[]> {
  const { stdout } = await run(DEPCRUISE, [...targets, '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], { cwd, maxBuffer: 64 * 1024 * 1024 }).catch(
    (e: { stdout?: string; stderr?: string }) => {
      if (e.stdout) return { stdout: e.stdout };
      throw new Error(`depcruise failed: ${e.stderr}`);
    },
  );
  return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

describe('architecture', () => {
  it('src/ and plugins/ respect the import rules and have no import cycles', async () => {
    const violations = await cruise(REPO_ROOT, ['src', 'plugins']);
    assert.deepEqual(violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`), []);
  });

  it('every folder of src/ has a row in the import matrix and in ARCHITECTURE.md', async () => {
    const folders = (await readdir(join(REPO_ROOT, 'src'), { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    assert.deepEqual(folders, Object.keys(IMPORT_MATRIX).sort(), 'add the new folder to IMPORT_MATRIX in .dependency-cruiser.cjs');
    const doc = (await readFile(join(REPO_ROOT, 'ARCHITECTURE.md'), 'utf8')).split('## Who may import whom')[1] ?? '';
    for (const [folder, allowed] of Object.entries(IMPORT_MATRIX)) {
      const row = doc.split('\n').find((l) => l.startsWith(`| \`src/${folder}/\` |`));
      assert.ok(row, `ARCHITECTURE.md has no row for src/${folder}/ in "Who may import whom"`);
      const cell = row.split('|')[2]!.trim();
      const documented = cell === 'anything' ? ['*'] : cell === '—' ? [] : [...cell.matchAll(/`src\/([a-z-]+)\/`/g)].map((m) => m[1]!);
      assert.deepEqual(documented.sort(), [...allowed].sort(), `ARCHITECTURE.md row of src/${folder}/ differs from IMPORT_MATRIX`);
    }
  });

  it('the rule fires when a plugin imports src/ outside the SDK', async (t) => {
    const dir = await tempDir(t);
    await copyFile(join(REPO_ROOT, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
    await copyFile(join(REPO_ROOT, 'tsconfig.json'), join(dir, 'tsconfig.json'));
    for (const d of ['src/config', 'src/sdk', 'plugins/rogue']) await mkdir(join(dir, d), { recursive: true });
    await writeFile(join(dir, 'src/config/index.ts'), 'export const secret = 1;\n');
    await writeFile(join(dir, 'src/sdk/index.ts'), 'export const contract = 1;\n');
    await writeFile(join(dir, 'plugins/rogue/index.ts'), "import { secret } from '../../src/config/index.js';\nimport { contract } from '../../src/sdk/index.js';\nexport const x = secret + contract;\n");
    const violations = await cruise(dir, ['src', 'plugins']);
    assert.deepEqual(violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`), ['plugins-import-only-sdk: plugins/rogue/index.ts → src/config/index.ts']);
  });

  it('ESLint also stops a plugin importing src/ outside the SDK', async () => {
    // The file does not exist, so type information is off for this one check; the import rule is not type-aware.
    const eslint = new ESLint({ cwd: REPO_ROOT, overrideConfig: [tseslint.configs.disableTypeChecked] });
    const [result] = await eslint.lintText("import { configSchema } from '../../src/config/index.js';\nexport const s = configSchema;\n", {
      filePath: join(REPO_ROOT, 'plugins/rogue/index.ts'),
    });
    const messages = result!.messages.filter((m) => m.ruleId === 'no-restricted-imports');
    assert.equal(messages.length, 1, JSON.stringify(result!.messages));
    assert.match(messages[0]!.message, /plugins import only src\/sdk/);
  });
});
