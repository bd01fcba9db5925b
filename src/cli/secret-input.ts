import { invalidArgument } from 'src/common/errors/domain-error';

/** The streams a secret is read from and the prompt written to (stdout carries only the result). */
export interface SecretIo {
  stdin: NodeJS.ReadStream;
  prompt: NodeJS.WritableStream;
}

const processIo = (): SecretIo => ({ stdin: process.stdin, prompt: process.stderr });

/**
 * A new secret the operator did not type on the command line (where it would stay in the shell
 * history and the process list): on a terminal, asked twice with echo off and both answers must
 * match; otherwise the first line of stdin, for scripts (`… < file`, a pipe).
 */
export async function readNewSecret(label: string, io: SecretIo = processIo()): Promise<string> {
  if (!io.stdin.isTTY) {
    const line = await firstLine(io.stdin);
    if (!line)
      throw invalidArgument(`no ${label} on stdin: pipe one line, or give it as an option`);
    return line;
  }
  const first = await promptHidden(`New ${label}: `, io);
  const second = await promptHidden(`Repeat the ${label}: `, io);
  if (first !== second) throw invalidArgument(`the two ${label}s differ: nothing changed`);
  return first;
}

async function firstLine(stdin: NodeJS.ReadStream): Promise<string> {
  stdin.setEncoding('utf8');
  let text = '';
  for await (const chunk of stdin) {
    text += chunk as string;
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/, 1)[0];
}

/** One line read from a terminal in raw mode, so nothing typed is echoed. Ctrl-C/Ctrl-D cancel. */
function promptHidden(question: string, { stdin, prompt }: SecretIo): Promise<string> {
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (cancelled: boolean): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      prompt.write('\n');
      if (cancelled) reject(invalidArgument('cancelled: nothing changed'));
      else resolve(value);
    };
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish(false);
        if (ch === '\u0003' || ch === '\u0004') return finish(true);
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    prompt.write(question);
    stdin.setEncoding('utf8');
    stdin.setRawMode(true);
    stdin.on('data', onData);
    stdin.resume();
  });
}
