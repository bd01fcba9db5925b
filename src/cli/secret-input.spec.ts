import { PassThrough, Writable } from 'node:stream';
import { readNewSecret, SecretIo } from 'src/cli/secret-input';

/**
 * A terminal that types `answers[i]` when the i-th question appears; records what was written to
 * the prompt stream and the raw-mode switches.
 */
function terminal(answers: string[]) {
  const stdin = Object.assign(new PassThrough(), {
    isTTY: true,
    setRawMode: jest.fn(),
  }) as unknown as NodeJS.ReadStream & { setRawMode: jest.Mock };
  let written = '';
  let asked = 0;
  const prompt = new Writable({
    write(chunk: Buffer, _enc, done) {
      written += chunk.toString();
      if (chunk.toString().endsWith(': ')) {
        const answer = answers[asked++];
        setImmediate(() => stdin.write(answer));
      }
      done();
    },
  });
  return { io: { stdin, prompt } as SecretIo, stdin, written: () => written };
}

function pipe(text: string): SecretIo {
  const stdin = new PassThrough() as unknown as NodeJS.ReadStream;
  stdin.end(text);
  return { stdin, prompt: new PassThrough() };
}

describe('readNewSecret', () => {
  it('should ask twice on a terminal with echo off and never echo what was typed', async () => {
    const t = terminal(['s3cret-pass\r', 's3cret-pass\r']);

    await expect(readNewSecret('password', t.io)).resolves.toBe('s3cret-pass');

    expect(t.written()).toBe('New password: \nRepeat the password: \n');
    expect(t.stdin.setRawMode.mock.calls).toEqual([[true], [false], [true], [false]]);
  });

  it('should apply backspace and ignore other control characters', async () => {
    const t = terminal(['abx\u007fc\u001bdefgh\n', 'abcdefgh\n']);

    await expect(readNewSecret('password', t.io)).resolves.toBe('abcdefgh');
  });

  it('should refuse two different answers', async () => {
    const t = terminal(['first-answer\r', 'second-answer\r']);

    await expect(readNewSecret('password', t.io)).rejects.toThrow(
      'the two passwords differ: nothing changed',
    );
  });

  it('should stop on Ctrl-C and leave the terminal as it was', async () => {
    const t = terminal(['abc\u0003']);

    await expect(readNewSecret('password', t.io)).rejects.toThrow('cancelled');
    expect(t.stdin.setRawMode).toHaveBeenLastCalledWith(false);
  });

  it('should read the first line of stdin when it is not a terminal', async () => {
    await expect(readNewSecret('password', pipe('from-a-pipe\r\nignored\n'))).resolves.toBe(
      'from-a-pipe',
    );
    await expect(readNewSecret('password', pipe('no newline at the end'))).resolves.toBe(
      'no newline at the end',
    );
  });

  it('should refuse an empty stdin', async () => {
    await expect(readNewSecret('password', pipe(''))).rejects.toThrow(/no password on stdin/);
  });
});
