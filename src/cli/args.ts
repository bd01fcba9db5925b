import { parseArgs } from 'node:util';
import { CliCommand, UsageError } from 'src/cli/cli-command';

/** What the command line asks for: the usage text (exit 0 for help, 2 without a command) or a run. */
export type CommandLine =
  | { kind: 'usage'; exitCode: 0 | 2; command?: CliCommand }
  | { kind: 'run'; command: CliCommand; options: ParsedValues; json: boolean };

/** Option values by name: strings for `--name value`, booleans for flags (false when absent). */
export type ParsedValues = Record<string, string | boolean>;

const GLOBAL_FLAGS = new Set(['--json', '--help', '-h']);

/** The option as typed, without an inline `=value`: error messages never echo values (passwords). */
const optionName = (raw: string): string => raw.split('=', 1)[0];

/**
 * Parses `[--json] [--help] <command> [--option value | --flag …] [--json] [--help]`. The command and its
 * options are checked against the registry; throws {@link UsageError} for anything it does not know.
 */
export function parseCommandLine(
  argv: readonly string[],
  commands: readonly CliCommand[],
): CommandLine {
  let i = 0;
  let json = false;
  let help = false;
  for (; i < argv.length && GLOBAL_FLAGS.has(argv[i]); i++) {
    if (argv[i] === '--json') json = true;
    else help = true;
  }
  const name = argv[i];
  if (name === undefined) return { kind: 'usage', exitCode: help ? 0 : 2 };
  if (name.startsWith('-')) {
    throw new UsageError(`unknown option ${optionName(name)}: put the command first`);
  }
  if (name === 'help') {
    const topic = argv.slice(i + 1).find((a) => !a.startsWith('-'));
    return {
      kind: 'usage',
      exitCode: 0,
      command: topic ? findCommand(topic, commands) : undefined,
    };
  }
  const command = findCommand(name, commands);
  const parsed = parseOptions(command, argv.slice(i + 1));
  if (help || parsed.help) return { kind: 'usage', exitCode: 0, command };
  const missing = Object.entries(command.options)
    .filter(([key, spec]) => spec.required && parsed.values[key] === undefined)
    .map(([key, spec]) => (spec.positional ? spec.value : `--${key}`));
  if (missing.length > 0) {
    throw new UsageError(`${command.name}: missing ${missing.join(', ')}`);
  }
  return { kind: 'run', command, options: parsed.values, json: json || parsed.json };
}

function findCommand(name: string, commands: readonly CliCommand[]): CliCommand {
  const command = commands.find((c) => c.name === name);
  if (!command) {
    throw new UsageError(`unknown command "${name}": run "npm run admin -- help" for the list`);
  }
  return command;
}

interface ParsedOptions {
  values: ParsedValues;
  json: boolean;
  help: boolean;
}

function parseOptions(command: CliCommand, args: string[]): ParsedOptions {
  const specs = new Map(Object.entries(command.options));
  const { tokens } = parseArgs({
    args,
    options: {
      ...Object.fromEntries(
        [...specs].map(([key, spec]) => [key, { type: spec.flag ? 'boolean' : 'string' }] as const),
      ),
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const result: ParsedOptions = { values: {}, json: false, help: false };
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      const [key] =
        [...specs].find(([k, s]) => s.positional && !Object.hasOwn(result.values, k)) ?? [];
      if (key) {
        result.values[key] = token.value;
        continue;
      }
      throw new UsageError(
        `${command.name}: unexpected argument; options are written --name value`,
      );
    }
    if (token.name === 'json' || token.name === 'help') {
      if (token.value !== undefined) throw new UsageError(`${token.rawName} takes no value`);
      result[token.name] = true;
      continue;
    }
    const spec = specs.get(token.name);
    if (!spec) {
      throw new UsageError(`${command.name}: unknown option ${token.rawName}`);
    }
    if (Object.hasOwn(result.values, token.name)) {
      throw new UsageError(`${command.name}: --${token.name} given more than once`);
    }
    if (spec.flag) {
      if (token.value !== undefined) {
        throw new UsageError(`${command.name}: --${token.name} takes no value`);
      }
      result.values[token.name] = true;
      continue;
    }
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith('-'))) {
      throw new UsageError(
        `${command.name}: --${token.name} needs a value (write --${token.name}=VALUE for one that starts with "-")`,
      );
    }
    result.values[token.name] = token.value;
  }
  for (const [key, spec] of specs) {
    if (spec.flag && !Object.hasOwn(result.values, key)) result.values[key] = false;
  }
  return result;
}
