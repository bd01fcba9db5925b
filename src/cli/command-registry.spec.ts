import { COMMANDS } from 'src/cli/command-registry';
import { formatUsage } from 'src/cli/usage';

describe('command registry', () => {
  it('should hold each command name once, written <group>:<action>', () => {
    const names = COMMANDS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z]+:[a-z-]+$/);
  });

  it('should not let a command shadow the global --json and --help options', () => {
    for (const command of COMMANDS) {
      expect(Object.keys(command.options)).not.toEqual(
        expect.arrayContaining([expect.stringMatching(/^(json|help|h)$/)]),
      );
    }
  });

  it('should list every command in the usage text', () => {
    const usage = formatUsage(COMMANDS);
    for (const command of COMMANDS) expect(usage).toContain(`  ${command.name}  `);
  });
});
