import type { PinoLogger } from 'nestjs-pino';
import pino from 'pino';
import { Writable } from 'node:stream';
import { printAfterLogs } from 'src/common/logging/print-after-logs';

describe('printAfterLogs', () => {
  it("should write the text to the logger's own stream, after the lines logged before it", () => {
    let written = '';
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        written += chunk.toString();
        done();
      },
    });
    const logger = { logger: pino({ base: undefined, timestamp: false }, sink) };
    logger.logger.info('before');

    printAfterLogs(logger as unknown as PinoLogger, 'banner\n');

    expect(written).toBe('{"level":30,"msg":"before"}\nbanner\n');
  });
});
