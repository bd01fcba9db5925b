import { CliCommand, OptionSpec } from 'src/cli/cli-command';

export const INVOCATION = 'npm run --silent admin --';

/** `--email EMAIL` for an option with a value, `PATH` for a positional one, `--read-only` for a flag. */
const written = (key: string, spec: OptionSpec): string =>
  spec.flag ? `--${key}` : spec.positional ? spec.value : `--${key} ${spec.value}`;

function synopsis(command: CliCommand): string {
  const options = Object.entries(command.options).map(([key, spec]) =>
    spec.required ? written(key, spec) : `[${written(key, spec)}]`,
  );
  return [command.name, ...options, '[--json]'].join(' ');
}

/** The list of commands (`help`, `--help`, no command). */
export function formatUsage(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `Usage: ${INVOCATION} <command> [options] [--json]`,
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    `  ${'help'.padEnd(width)}  Show this text, or "help <command>" for one command`,
    '',
    'Options for every command:',
    '  --json   print exactly one JSON object on stdout',
    '  --help   show the options of the command',
    '',
    'Exit codes: 0 done, 1 failed (bad input, conflict, database), 2 usage error.',
    'The database is the one the environment configures: DATABASE_URL (PostgreSQL), else the',
    'embedded database in DATA_DIR (default ./data), which needs the server to be stopped.',
  ].join('\n');
}

/** The options of one command (`help <command>`, `<command> --help`). */
export function formatCommandHelp(command: CliCommand): string {
  const entries = Object.entries(command.options);
  const width = Math.max(0, ...entries.map(([key, spec]) => written(key, spec).length));
  return [
    `Usage: ${INVOCATION} ${synopsis(command)}`,
    '',
    command.summary,
    ...(entries.length > 0 ? ['', 'Options:'] : []),
    ...entries.map(
      ([key, spec]) =>
        `  ${written(key, spec).padEnd(width)}  ${spec.description}${spec.required || spec.flag ? '' : ' (optional)'}`,
    ),
  ].join('\n');
}
