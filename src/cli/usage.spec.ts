import { defineCommand } from 'src/cli/cli-command';
import { formatCommandHelp } from 'src/cli/usage';

describe('formatCommandHelp', () => {
  const command = defineCommand({
    name: 'key:create',
    summary: 'Create a key',
    options: {
      org: { value: 'SLUG', description: 'organization slug', required: true },
      name: { value: 'NAME', description: 'label' },
      'read-only': { flag: true, description: 'read access only' },
    },
    run: async () => ({ json: {}, text: '' }),
  });
  const sut = () => formatCommandHelp(command).split('\n');

  it('should write a flag without a value placeholder, in the synopsis and the option list', () => {
    const [synopsis] = sut();
    expect(synopsis).toMatch(/ key:create --org SLUG \[--name NAME\] \[--read-only\] \[--json\]$/);
    expect(sut()).toEqual(
      expect.arrayContaining([
        '  --org SLUG   organization slug',
        '  --name NAME  label (optional)',
        '  --read-only  read access only',
      ]),
    );
  });
});
