import { UsageError } from 'src/cli/cli-command';
import { DatabaseConfig, describeDatabase } from 'src/config/app.config';
import { ConfigValidationError } from 'src/config/env.validation';
import { isDatabaseUnavailable } from 'src/common/errors/database-errors';
import { DomainError, ErrorCode } from 'src/common/errors/domain-error';
import { EmbeddedDatabaseBusyError } from 'src/database/embedded/data-dir-lock';
import { DatabaseStartupError } from 'src/database/preflight';

export interface CliFailure {
  /** One line for stderr, without the `error: ` prefix and without a stack trace. */
  message: string;
  exitCode: 1 | 2;
}

function domainMessage(err: DomainError): string {
  switch (err.code) {
    case ErrorCode.NotFound:
    case ErrorCode.InvalidArgument:
    case ErrorCode.Conflict:
    case ErrorCode.Forbidden:
    case ErrorCode.PreconditionFailed:
      return err.message;
    case ErrorCode.Unauthenticated:
    case ErrorCode.AccessRequired:
    case ErrorCode.TermsOfUseViolation:
      return `Not allowed: ${err.message}`;
    case ErrorCode.RateLimited:
      return err.message;
    case ErrorCode.QueryTimeout:
    case ErrorCode.Unavailable:
      return `${err.message} (the database did not answer in time: retry shortly)`;
  }
}

/** Maps whatever a command threw to the one line the operator sees and the exit code. */
export function describeFailure(err: unknown, database?: DatabaseConfig): CliFailure {
  const { message, exitCode } = classify(err, database);
  return { message: oneLine(message), exitCode };
}

function classify(err: unknown, database: DatabaseConfig | undefined): CliFailure {
  if (err instanceof UsageError) return { message: err.message, exitCode: 2 };
  if (err instanceof DomainError) return { message: domainMessage(err), exitCode: 1 };
  if (
    err instanceof ConfigValidationError ||
    err instanceof DatabaseStartupError ||
    err instanceof EmbeddedDatabaseBusyError
  ) {
    return { message: err.message, exitCode: 1 };
  }
  const reason = err instanceof Error ? err.message : String(err);
  if (isDatabaseUnavailable(err)) {
    const where = database ? describeDatabase(database) : 'the database';
    return {
      message: `Cannot reach ${where}: ${reason}. Check that the database is running and retry.`,
      exitCode: 1,
    };
  }
  return { message: `Unexpected failure: ${reason}`, exitCode: 1 };
}

const oneLine = (text: string): string =>
  text.replace(/\s*[\r\n]+\s*/g, ' ').trim() || 'unknown error';
