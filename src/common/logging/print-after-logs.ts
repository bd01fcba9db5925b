import type { PinoLogger } from 'nestjs-pino';
import { symbols } from 'pino';

/**
 * Writes `text` to the log destination (stdout) after every line `logger` has logged so far. Pino
 * writes asynchronously, so a plain `process.stdout.write` can overtake lines logged just before it
 * (the start-up banner then lands among the start-up lines instead of at the end); writing to
 * pino's own stream keeps the order.
 */
export function printAfterLogs(logger: PinoLogger, text: string): void {
  const pino = logger.logger as PinoLogger['logger'] & Record<symbol, unknown>;
  const stream = pino[symbols.streamSym] as NodeJS.WritableStream | undefined;
  (stream ?? process.stdout).write(text);
}
