import { Catch, type ArgumentsHost, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';

/**
 * NestJS's default RPC filter replaces any error with "Internal server error". The transports need
 * the original error to decide between retry and dead letter, and the DLQ entry must say what went
 * wrong, so every service installs this filter (platform's bootstrap does).
 */
@Catch()
export class RethrowRpcExceptionsFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown, host: ArgumentsHost): Observable<never> {
    if (host.getType() !== 'rpc') throw exception;
    return throwError(() => exception);
  }
}
