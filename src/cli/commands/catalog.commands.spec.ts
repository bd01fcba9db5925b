import { parseCommandLine } from 'src/cli/args';
import { catalogCommands } from 'src/cli/commands/catalog.commands';
import { formatCommandHelp } from 'src/cli/usage';

const commands = catalogCommands.commands;
const sut = (...argv: string[]) => parseCommandLine(argv, commands);

describe('catalog:import and catalog:export command lines', () => {
  it('should take the path as the bare argument after the command', () => {
    expect(sut('catalog:import', 'examples/catalog', '--org', 'acme', '--dry-run')).toEqual({
      kind: 'run',
      command: commands[0],
      options: { path: 'examples/catalog', org: 'acme', 'dry-run': true, prune: false },
      json: false,
    });
    expect(sut('catalog:export', '--org', 'acme', 'out', '--json')).toMatchObject({
      options: { dir: 'out', org: 'acme', force: false },
      json: true,
    });
  });

  it('should want the path, once', () => {
    expect(() => sut('catalog:import', '--org', 'acme')).toThrow('catalog:import: missing PATH');
    expect(() => sut('catalog:import', 'a', 'b', '--org', 'acme')).toThrow(/unexpected argument/);
  });

  it('should show the path as a bare argument in the help', () => {
    expect(formatCommandHelp(commands[0]).split('\n')[0]).toBe(
      'Usage: npm run --silent admin -- catalog:import PATH --org SLUG [--dry-run] [--prune] [--json]',
    );
    expect(formatCommandHelp(commands[1]).split('\n')[0]).toBe(
      'Usage: npm run --silent admin -- catalog:export DIR --org SLUG [--force] [--json]',
    );
  });
});
