import { UsageError } from 'src/cli/cli-command';
import { describeFailure } from 'src/cli/cli-errors';
import { ConfigValidationError } from 'src/config/env.validation';
import { conflict, DomainError, ErrorCode, notFound } from 'src/common/errors/domain-error';
import { EmbeddedDatabaseBusyError } from 'src/database/embedded/data-dir-lock';
import { DatabaseStartupError } from 'src/database/preflight';

describe('describeFailure', () => {
  const sut = describeFailure;

  it('should give a usage error exit code 2', () => {
    expect(sut(new UsageError('unknown command "x"'))).toEqual({
      message: 'unknown command "x"',
      exitCode: 2,
    });
  });

  it('should print domain errors as their message with exit code 1', () => {
    expect(sut(conflict('A user with email a@b.c already exists'))).toEqual({
      message: 'A user with email a@b.c already exists',
      exitCode: 1,
    });
    expect(sut(notFound('Organization acme'))).toEqual({
      message: 'Organization acme not found',
      exitCode: 1,
    });
  });

  it('should map every error code to a non-empty line', () => {
    for (const code of Object.values(ErrorCode)) {
      const failure = sut(new DomainError(code, 'something'));
      expect(failure.exitCode).toBe(1);
      expect(failure.message).toContain('something');
    }
  });

  it('should print start-up errors (busy embedded database, config, connection) as they are', () => {
    for (const err of [
      new EmbeddedDatabaseBusyError('in use: stop the server'),
      new ConfigValidationError('Invalid configuration: PORT'),
      new DatabaseStartupError('Cannot connect'),
    ]) {
      expect(sut(err)).toEqual({ message: err.message, exitCode: 1 });
    }
  });

  it('should say which database cannot be reached, without credentials', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:5432'), {
      code: 'ECONNREFUSED',
    });
    const failure = sut(err, { kind: 'postgres', url: 'postgres://u:s3cret@db:5432/app' });
    expect(failure.message).toMatch(/^Cannot reach PostgreSQL db:5432\/app: connect ECONNREFUSED/);
    expect(failure.message).not.toContain('s3cret');
  });

  it('should keep an unexpected error to one line without a stack trace', () => {
    const failure = sut(new Error('first\nsecond\n    at foo (bar.ts:1:1)'));
    expect(failure.message).not.toMatch(/\n/);
    expect(failure.message).toMatch(/^Unexpected failure: first second/);
  });
});
