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

/** One attempt's outcome handlers, stored on the attempt object. */
interface Pending {
  resolve(user: unknown): void;
  reject(err: Error): void;
  refused(): Error;
}

const PENDING = Symbol('pending attempt');

type AttemptState = Attempt & { [PENDING]: Pending };

/**
 * Per strategy, the prototype of its attempts: the strategy's own methods and settings, plus the
 * Passport callbacks, which settle the attempt's promise. Built once, so an attempt costs one object.
 */
const prototypes = new WeakMap<Strategy, object>();

function attemptPrototype(strategy: Strategy): object {
  let proto = prototypes.get(strategy);
  if (proto === undefined) {
    const callbacks: Omit<Attempt, 'authenticate'> & ThisType<AttemptState> = {
      success(user) {
        const p = this[PENDING];
        if (user) p.resolve(user);
        else p.reject(p.refused());
      },
      fail() {
        this[PENDING].reject(this[PENDING].refused());
      },
      pass() {
        this[PENDING].reject(this[PENDING].refused());
      },
      redirect() {
        this[PENDING].reject(this[PENDING].refused());
      },
      error(err) {
        this[PENDING].reject(err instanceof Error ? err : this[PENDING].refused());
      },
    };
    proto = Object.assign(Object.create(strategy) as object, callbacks);
    prototypes.set(strategy, proto);
  }
  return proto;
}

/**
 * Runs one Passport strategy against a request, the way `passport.authenticate` does (a per-attempt
 * delegate of the strategy carrying success/fail/error), without building an authenticate middleware
 * and a Nest AuthGuard per request. Resolves with the strategy's user; rejects with its error as is
 * (an infrastructure error must stay a 503) or with `refused()` when it fails, passes or redirects.
 */
export function runStrategy<T>(strategy: Strategy, req: unknown, refused: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const attempt = Object.create(attemptPrototype(strategy)) as AttemptState;
    attempt[PENDING] = { resolve: resolve, reject, refused };
    try {
      attempt.authenticate(req, {});
    } catch (err) {
      reject(err instanceof Error ? err : refused());
    }
  });
}
