import type { LoggerService } from '@nestjs/common';

/**
 * Nest's own start-up chatter: one line per module (InstanceLoader), controller (RoutesResolver)
 * and route (RouterExplorer), about 130 in all, plus "starting"/"started". It buried the start-up
 * banner (and the one-time demo password), so it is logged at debug: `LOG_LEVEL=debug` shows it.
 */
const BOOT_CONTEXTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestApplication',
]);

/**
 * The application logger as Nest's internals see it: hands every call to `inner` unchanged, except
 * that Nest's start-up lines (`log` calls whose context is in {@link BOOT_CONTEXTS}) go to debug.
 */
export class NestBootLogger implements LoggerService {
  constructor(private readonly inner: LoggerService) {}

  log(message: unknown, ...params: unknown[]): void {
    const context = params.at(-1);
    if (typeof context === 'string' && BOOT_CONTEXTS.has(context)) {
      this.inner.debug?.(message, ...params);
    } else {
      this.inner.log(message, ...params);
    }
  }

  error(message: unknown, ...params: unknown[]): void {
    this.inner.error(message, ...params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.inner.warn(message, ...params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.inner.debug?.(message, ...params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.inner.verbose?.(message, ...params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.inner.fatal?.(message, ...params);
  }
}
