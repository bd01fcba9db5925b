import type { Strategy } from 'passport';

/** The callbacks Passport gives a strategy for one attempt (what `passport.authenticate` attaches). */
interface Attempt {
  authenticate(req: unknown, options?: object): void;
  success(user: unknown, info?: unknown): void;
  fail(challenge?: unknown, status?: number): void;
  error(err: unknown): void;
  pass(): void;
  redirect(url: string, status?: number): void;
}

/**
 * Runs one Passport strategy against a request, the way `passport.authenticate` does (a per-attempt
 * delegate of the strategy carrying success/fail/error), without building an authenticate middleware
 * and a Nest AuthGuard per request. Resolves with the strategy's user; rejects with its error as is
 * (an infrastructure error must stay a 503) or with `refused()` when it fails, passes or redirects.
 */
export function runStrategy<T>(strategy: Strategy, req: unknown, refused: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const attempt = Object.create(strategy) as Attempt;
    attempt.success = (user) => (user ? resolve(user as T) : reject(refused()));
    attempt.fail = () => reject(refused());
    attempt.pass = () => reject(refused());
    attempt.redirect = () => reject(refused());
    attempt.error = (err) => reject(err instanceof Error ? err : refused());
    try {
      attempt.authenticate(req, {});
    } catch (err) {
      reject(err instanceof Error ? err : refused());
    }
  });
}
