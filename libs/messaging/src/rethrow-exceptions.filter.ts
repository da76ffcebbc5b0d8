import { Catch, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { throwError, type Observable } from 'rxjs';

/**
 * NestJS's default RPC filter replaces any error with "Internal server error". The transports need
 * the original error to decide between retry and dead letter, and the DLQ entry must say what went
 * wrong. Installed app-wide (a hybrid app's microservice inherits it); HTTP errors keep Nest's
 * usual handling.
 */
@Catch()
export class RethrowRpcExceptionsFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    if (host.getType() === 'rpc') return throwError(() => exception);
    return super.catch(exception, host);
  }
}
