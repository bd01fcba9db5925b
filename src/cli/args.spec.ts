import { parseCommandLine } from 'src/cli/args';
import { CliCommand, defineCommand, UsageError } from 'src/cli/cli-command';

const noop = async () => ({ json: {}, text: '' });
const userCreate = defineCommand({
  name: 'user:create',
  summary: 'Create a user',
  options: {
    email: { value: 'EMAIL', description: 'email', required: true },
    password: { value: 'PASSWORD', description: 'password', required: true },
    name: { value: 'NAME', description: 'name' },
  },
  run: noop,
});
const demoSeed = defineCommand({ name: 'demo:seed', summary: 'Seed', options: {}, run: noop });
const keyCreate = defineCommand({
  name: 'key:create',
  summary: 'Create a key',
  options: {
    org: { value: 'SLUG', description: 'org', required: true },
    'read-only': { flag: true, description: 'read only' },
  },
  run: noop,
});
const commands: CliCommand[] = [userCreate, demoSeed, keyCreate];

const sut = (...argv: string[]) => parseCommandLine(argv, commands);

function usageError(argv: string[]): UsageError {
  try {
    sut(...argv);
  } catch (err) {
    if (err instanceof UsageError) return err;
    throw err;
  }
  throw new Error(`expected a usage error for ${argv.join(' ')}`);
}

describe('parseCommandLine', () => {
  it('should find the command and its options, optional ones left out', () => {
    expect(sut('user:create', '--email', 'a@b.c', '--password', 'p4ssword!')).toEqual({
      kind: 'run',
      command: userCreate,
      options: { email: 'a@b.c', password: 'p4ssword!' },
      json: false,
    });
  });

  it('should accept --json before or after the command and --name=value', () => {
    for (const argv of [
      ['--json', 'user:create', '--email=a@b.c', '--password=x', '--name=Ada'],
      ['user:create', '--email=a@b.c', '--json', '--password=x', '--name', 'Ada'],
    ]) {
      expect(sut(...argv)).toMatchObject({
        kind: 'run',
        json: true,
        options: { email: 'a@b.c', password: 'x', name: 'Ada' },
      });
    }
  });

  it('should take a value that starts with a dash only when written inline', () => {
    expect(sut('user:create', '--email=a@b.c', '--password=-starts-with-dash')).toMatchObject({
      options: { password: '-starts-with-dash' },
    });
    expect(usageError(['user:create', '--email', 'a@b.c', '--password', '-x']).message).toMatch(
      /--password needs a value/,
    );
  });

  it('should keep an empty value instead of treating the option as missing', () => {
    expect(sut('user:create', '--email', '', '--password', 'p')).toMatchObject({
      options: { email: '', password: 'p' },
    });
  });

  it('should ask for the usage text with exit 2 when no command is given', () => {
    expect(sut()).toEqual({ kind: 'usage', exitCode: 2 });
    expect(sut('--json')).toEqual({ kind: 'usage', exitCode: 2 });
  });

  it('should ask for the usage text with exit 0 for help, --help and -h', () => {
    for (const argv of [['help'], ['--help'], ['-h'], ['--json', 'help']]) {
      expect(sut(...argv)).toEqual({ kind: 'usage', exitCode: 0, command: undefined });
    }
  });

  it('should show one command for "help <command>" and "<command> --help", options missing or not', () => {
    expect(sut('help', 'user:create')).toEqual({ kind: 'usage', exitCode: 0, command: userCreate });
    expect(sut('user:create', '--help')).toEqual({
      kind: 'usage',
      exitCode: 0,
      command: userCreate,
    });
    expect(sut('--help', 'demo:seed')).toEqual({ kind: 'usage', exitCode: 0, command: demoSeed });
  });

  it('should reject an unknown command, also as a help topic', () => {
    expect(usageError(['user:delete']).message).toMatch(/unknown command "user:delete"/);
    expect(usageError(['help', 'nope']).message).toMatch(/unknown command "nope"/);
  });

  it('should reject an option before the command', () => {
    expect(usageError(['--email', 'a@b.c', 'user:create']).message).toMatch(
      /unknown option --email/,
    );
  });

  it('should reject an unknown option without echoing its value', () => {
    const err = usageError(['user:create', '--email=a@b.c', '--pasword=hunter2-secret']);
    expect(err.message).toBe('user:create: unknown option --pasword');
    expect(usageError(['demo:seed', '-x']).message).toBe('demo:seed: unknown option -x');
  });

  it('should reject a stray argument without echoing it (it may be a password)', () => {
    const err = usageError(['user:create', '--email', 'a@b.c', 'hunter2-secret']);
    expect(err.message).toMatch(/unexpected argument/);
    expect(err.message).not.toContain('hunter2-secret');
    expect(usageError(['demo:seed', '--', '--json']).message).toMatch(/unexpected argument/);
  });

  it('should name every missing required option', () => {
    expect(usageError(['user:create']).message).toBe('user:create: missing --email, --password');
    expect(usageError(['user:create', '--email', 'a@b.c']).message).toBe(
      'user:create: missing --password',
    );
  });

  it('should reject an option without a value', () => {
    expect(usageError(['user:create', '--password=p', '--email']).message).toMatch(
      /--email needs a value/,
    );
    expect(usageError(['user:create', '--email', '--password', 'p']).message).toMatch(
      /--email needs a value/,
    );
  });

  it('should reject an option given twice', () => {
    expect(
      usageError(['user:create', '--email=a@b.c', '--email=d@e.f', '--password=p']).message,
    ).toMatch(/--email given more than once/);
  });

  it('should reject a value for --json', () => {
    expect(usageError(['demo:seed', '--json=yes']).message).toMatch(/--json takes no value/);
  });

  describe('flags', () => {
    it('should be true when given, anywhere among the options, and false when not', () => {
      expect(sut('key:create', '--read-only', '--org', 'acme')).toEqual({
        kind: 'run',
        command: keyCreate,
        options: { org: 'acme', 'read-only': true },
        json: false,
      });
      expect(sut('key:create', '--org=acme', '--read-only', '--json')).toMatchObject({
        options: { org: 'acme', 'read-only': true },
        json: true,
      });
      expect(sut('key:create', '--org', 'acme')).toMatchObject({
        options: { org: 'acme', 'read-only': false },
      });
    });

    it('should reject a value for a flag without echoing it', () => {
      const err = usageError(['key:create', '--org=acme', '--read-only=yes-secret']);
      expect(err.message).toBe('key:create: --read-only takes no value');
      expect(usageError(['key:create', '--org=acme', '--read-only', 'yes']).message).toMatch(
        /unexpected argument/,
      );
    });

    it('should not take a flag as the value of the option before it', () => {
      expect(usageError(['key:create', '--org', '--read-only']).message).toMatch(
        /--org needs a value/,
      );
    });

    it('should reject a flag given twice', () => {
      expect(usageError(['key:create', '--org=a', '--read-only', '--read-only']).message).toBe(
        'key:create: --read-only given more than once',
      );
    });

    it('should not add flags to commands that have none', () => {
      expect(sut('demo:seed')).toMatchObject({ options: {} });
    });
  });

  it('should not treat inherited object keys as options', () => {
    expect(usageError(['demo:seed', '--constructor', 'x']).message).toMatch(
      /unknown option --constructor/,
    );
    expect(usageError(['demo:seed', '--__proto__', 'x']).message).toMatch(/unknown option/);
  });
});
