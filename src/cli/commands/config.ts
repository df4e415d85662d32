import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { checkConfigText, exampleConfig } from '../../config/index.js';
import { parse as parseYaml } from 'yaml';
import { outputPluginProblems, PluginRegistry } from '../../publish/index.js';

export function registerConfigCommands(program: Command): void {
  const config = program.command('config').description('check or write a configuration file');

  config
    .command('check')
    .argument('<file>', 'configuration file (YAML)')
    .description('validate a configuration file: prints every problem with its path and fix; exit 1 if there is any')
    .action(async (file: string) => {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (cause) {
        process.stderr.write(`${file}: cannot read the file (${(cause as NodeJS.ErrnoException).code ?? String(cause)})\n`);
        process.exitCode = 1;
        return;
      }
      const { problems, config: parsed } = checkConfigText(text, process.env);
      // each output's own fields are checked by its plugin (outputs[1].password, ...), even when other sections have problems
      problems.push(...(await outputPluginProblems(rawOutputs(text), PluginRegistry.discover(parsed?.delivery.pluginDirs ?? []))));
      if (problems.length > 0) {
        process.stderr.write(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n`);
        for (const p of problems) process.stderr.write(`  ${p.path ? `${p.path}: ` : ''}${p.message}\n`);
        process.exitCode = 1;
        return;
      }
      const rules = parsed!.cameras.reduce((n, c) => n + c.rules.length, 0);
      process.stdout.write(`${file}: valid (${parsed!.cameras.length} camera(s), ${rules} rule(s), ${parsed!.outputs.length} output(s), mode ${parsed!.rules.mode})\n`);
    });

  config
    .command('example')
    .description('print a commented example configuration with every field and its default')
    .action(() => {
      process.stdout.write(exampleConfig());
    });
}

function rawOutputs(text: string): unknown {
  try {
    return (parseYaml(text) as { outputs?: unknown } | null)?.outputs;
  } catch {
    return undefined; // not YAML: checkConfigText has said so
  }
}
