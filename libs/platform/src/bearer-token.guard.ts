import { Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext, type Type } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ServiceEnv } from './config/service-env';
import { SERVICE_ENV } from './tokens';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * A guard for operator APIs: `Authorization: Bearer <token>` against a token from the service's
 * environment, compared in constant time (on digests, so lengths leak nothing). With no token
 * configured nobody gets in: an unset secret never means "open".
 */
export function bearerTokenGuard<Env extends ServiceEnv>(tokenOf: (env: Env) => string | undefined, what: string): Type<CanActivate> {
  @Injectable()
  class BearerTokenGuard implements CanActivate {
    constructor(@Inject(SERVICE_ENV) private readonly env: Env) {}

    canActivate(context: ExecutionContext): boolean {
      const header = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>().headers['authorization'];
      const given = typeof header === 'string' ? header.replace(/^Bearer\s+/i, '') : '';
      const expected = tokenOf(this.env);
      if (!expected || !given || !timingSafeEqual(digest(given), digest(expected))) throw new UnauthorizedException({ message: `${what} token required` });
      return true;
    }
  }
  return BearerTokenGuard;
}
