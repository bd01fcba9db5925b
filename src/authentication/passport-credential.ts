import { ExecutionContext } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { AuthenticatedRequest } from 'src/auth/authenticated-request';
import type { RequestPrincipal } from 'src/auth/principal';

/**
 * One Passport strategy run through @nestjs/passport's stock `AuthGuard` (`passport.authenticate`
 * with a callback, no session). The strategy's own error (an AuthError with its reason, or a database
 * fault that must stay a 503) is rethrown as is; a failure without one is `refused()`.
 */
export class PassportCredential {
  private readonly guard: { canActivate(context: ExecutionContext): Promise<boolean> };

  constructor(strategy: string, refused: () => Error) {
    class StrategyGuard extends AuthGuard(strategy) {
      override handleRequest<T>(err: unknown, user: T): T {
        if (err) throw err instanceof Error ? err : refused();
        if (!user) throw refused();
        return user;
      }
    }
    this.guard = new StrategyGuard() as unknown as typeof this.guard;
  }

  /** The strategy's principal for this request (the stock guard also sets it as `req.user`). */
  async authenticate(context: ExecutionContext): Promise<RequestPrincipal> {
    await this.guard.canActivate(context);
    return context.switchToHttp().getRequest<AuthenticatedRequest>().user!;
  }
}
