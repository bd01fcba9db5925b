import { INestApplicationContext, Type } from '@nestjs/common';
import { SystemPrincipal } from 'src/auth/principal';
import { AppConfig } from 'src/config/app.config';

/** One `--name value` option of a command: a string value. */
export interface ValueOptionSpec {
  description: string;
  required?: boolean;
  /** Placeholder shown in the usage text, e.g. `EMAIL`. */
  value: string;
  /** Also accepted without its name as a bare argument after the command (`catalog:import PATH`). */
  positional?: true;
  flag?: never;
}

/** One `--name` flag without a value: true when given, false when not. Never required. */
export interface FlagOptionSpec {
  description: string;
  flag: true;
  required?: never;
  value?: never;
  positional?: never;
}

export type OptionSpec = ValueOptionSpec | FlagOptionSpec;

export type OptionSpecs = Record<string, OptionSpec>;

/** Flags are booleans, required options strings, the others strings that may be missing. */
type OptionValue<O extends OptionSpec> = O extends { flag: true }
  ? boolean
  : O extends { required: true }
    ? string
    : string | undefined;

/** The parsed options, typed from the command's option specs. */
export type OptionValues<S extends OptionSpecs> = { [K in keyof S]: OptionValue<S[K]> };

/** What a command hands back: the `--json` object and the human-readable text. */
export interface CommandOutput {
  json: Record<string, unknown>;
  text: string;
  /** 1 when the command ran but its result is a failure (an import with problems); default 0. */
  exitCode?: 0 | 1;
}

export interface CliContext {
  app: INestApplicationContext;
  config: AppConfig;
  principal: SystemPrincipal;
}

export interface CliCommand<S extends OptionSpecs = OptionSpecs> {
  /** `<group>:<action>`, e.g. `user:create`. */
  name: string;
  summary: string;
  options: S;
  run(ctx: CliContext, options: OptionValues<S>): Promise<CommandOutput>;
}

/** The commands of one file plus the Nest modules whose services they call. */
export interface CliCommandGroup {
  modules: Type[];
  commands: CliCommand[];
}

/** Keeps the option names and their required-ness in the type of `run`'s options. */
export function defineCommand<const S extends OptionSpecs>(command: CliCommand<S>): CliCommand {
  return command;
}

/** Bad command line (unknown command or option, missing option): exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
