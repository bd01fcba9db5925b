import { DomainError, ErrorCode } from 'src/common/errors/domain-error';

/** Why a settings page refused a request; SettingsPageFilter maps each kind to a status and a page. */
export enum SettingsErrorKind {
  /** A malformed form or parameter (400). */
  BadRequest = 'bad_request',
  /** Missing or wrong CSRF token, no session, or a cross-site `Origin` (403). */
  Csrf = 'csrf',
  /** Not allowed: a tampered organization id, a role that may not do this (403). */
  Forbidden = 'forbidden',
  /** Unknown id, or another organization's (404: exactly like an unknown one). */
  NotFound = 'not_found',
}

export class SettingsError extends Error {
  constructor(
    readonly kind: SettingsErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'SettingsError';
  }
}

export const badRequest = (message: string): SettingsError =>
  new SettingsError(SettingsErrorKind.BadRequest, message);

export const csrfRefused = (): SettingsError =>
  new SettingsError(
    SettingsErrorKind.Csrf,
    'This form is no longer valid (your session changed or expired, cookies are blocked, or the request came from another site). Reload the page and try again.',
  );

export const notYourOrganization = (): SettingsError =>
  new SettingsError(SettingsErrorKind.Forbidden, 'You are not a member of that organization.');

export const pageNotFound = (what: string): SettingsError =>
  new SettingsError(SettingsErrorKind.NotFound, `${what} not found.`);

/**
 * A refusal a form answers on its own page (status and message next to the form), or null for
 * anything else (left to SettingsPageFilter: CSRF, database faults, unexpected errors).
 */
export function formRefusal(err: unknown): { status: number; message: string } | null {
  if (err instanceof SettingsError && err.kind === SettingsErrorKind.BadRequest) {
    return { status: 400, message: err.message };
  }
  if (err instanceof DomainError) {
    switch (err.code) {
      case ErrorCode.InvalidArgument:
        return { status: 400, message: err.message };
      case ErrorCode.Forbidden:
        return { status: 403, message: err.message };
      case ErrorCode.NotFound:
        return { status: 404, message: err.message };
      case ErrorCode.Conflict:
        return { status: 409, message: err.message };
      case ErrorCode.PreconditionFailed:
        return { status: 412, message: err.message };
      case ErrorCode.Unauthenticated:
      case ErrorCode.AccessRequired:
      case ErrorCode.TermsOfUseViolation:
      case ErrorCode.QueryTimeout:
      case ErrorCode.Unavailable:
      case ErrorCode.RateLimited:
        return null;
    }
  }
  return null;
}
