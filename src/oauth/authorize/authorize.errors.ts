/** Why the authorization flow stopped; AuthorizePageFilter maps each kind to a status and a page. */
export enum AuthorizeErrorKind {
  /** A malformed or unacceptable authorization request or form (400). Never redirected. */
  InvalidRequest = 'invalid_request',
  /** The interaction is unknown, expired, used, or another browser's (400). */
  InteractionExpired = 'interaction_expired',
  /** Missing or wrong CSRF token, or no session cookie (403). */
  Csrf = 'csrf',
  /** The posted organization is not one of the person's (403). */
  Forbidden = 'forbidden',
  /** The person belongs to no organization (403). */
  NoOrganization = 'no_organization',
}

export class AuthorizeError extends Error {
  constructor(
    readonly kind: AuthorizeErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'AuthorizeError';
  }
}

export const invalidAuthorizeRequest = (message: string): AuthorizeError =>
  new AuthorizeError(AuthorizeErrorKind.InvalidRequest, message);

export const interactionExpired = (): AuthorizeError =>
  new AuthorizeError(
    AuthorizeErrorKind.InteractionExpired,
    'This authorization request has expired or was already completed. Return to the application and start again.',
  );

export const csrfRejected = (): AuthorizeError =>
  new AuthorizeError(
    AuthorizeErrorKind.Csrf,
    'This form is no longer valid (your browser session changed or expired, or cookies are blocked). Return to the application and start again.',
  );
