import { CliCommand, CliCommandGroup } from 'src/cli/cli-command';
import { catalogCommands } from 'src/cli/commands/catalog.commands';
import { demoCommands } from 'src/cli/commands/demo.commands';
import { keyCommands } from 'src/cli/commands/key.commands';
import { memberCommands } from 'src/cli/commands/member.commands';
import { orgCommands } from 'src/cli/commands/org.commands';
import { userCommands } from 'src/cli/commands/user.commands';

/**
 * Every command of the admin CLI. A new group of commands is a `commands/<group>.commands.ts` file
 * exporting a {@link CliCommandGroup} (its commands and the Nest modules they need) plus one entry
 * here; the parser, the usage text and the Nest context pick it up from this list.
 */
export const COMMAND_GROUPS: readonly CliCommandGroup[] = [
  userCommands,
  orgCommands,
  memberCommands,
  keyCommands,
  demoCommands,
  catalogCommands,
];

export const COMMANDS: readonly CliCommand[] = COMMAND_GROUPS.flatMap((g) => g.commands);
