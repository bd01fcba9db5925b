/** Error codes services throw. Each entry point (HTTP, OAuth, MCP, CLI) maps every code. */
export enum ErrorCode {
  NotFound = 'not_found',
  Forbidden = 'forbidden',
  InvalidArgument = 'invalid_argument',
  Conflict = 'conflict',
  Unauthenticated = 'unauthenticated',
  AccessRequired = 'access_required',
  TermsOfUseViolation = 'terms_of_use_violation',
  QueryTimeout = 'query_timeout',
  Unavailable = 'unavailable',
  /** A conditional request's precondition (`If-Match`) does not hold (RFC 9110 §13.1.1). */
  PreconditionFailed = 'precondition_failed',
  /** Too many attempts from this client: wait `retryAfterSeconds` (RFC 6585 §4). */
  RateLimited = 'rate_limited',
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  /** The `error` field of a JSON answer; the code unless a subclass speaks another vocabulary. */
  get label(): string {
    return this.code;
  }

  /** Seconds a client should wait before retrying (`Retry-After`), when a subclass knows them. */
  declare readonly retryAfterSeconds?: number;
}

export const notFound = (what: string): DomainError =>
  new DomainError(ErrorCode.NotFound, `${what} not found`);
export const forbidden = (message: string): DomainError =>
  new DomainError(ErrorCode.Forbidden, message);
export const invalidArgument = (message: string, details?: Record<string, unknown>): DomainError =>
  new DomainError(ErrorCode.InvalidArgument, message, details);
export const conflict = (message: string, details?: Record<string, unknown>): DomainError =>
  new DomainError(ErrorCode.Conflict, message, details);
export const preconditionFailed = (message: string): DomainError =>
  new DomainError(ErrorCode.PreconditionFailed, message);
