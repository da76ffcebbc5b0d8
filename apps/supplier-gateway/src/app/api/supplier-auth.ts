import { ForbiddenException, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { SupplierDirectory, type RegisteredSupplier } from '../application/supplier-directory';

export interface SupplierRequest {
  headers: Record<string, string | string[] | undefined>;
  supplier?: RegisteredSupplier;
}

/**
 * The supplier is whoever the API key belongs to (`Authorization: Bearer <key>` or `X-Api-Key`):
 * never an id in the path or the payload. A suspended supplier may still read, not write.
 */
@Injectable()
export class SupplierApiKeyGuard implements CanActivate {
  constructor(private readonly suppliers: SupplierDirectory) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<SupplierRequest & { method: string }>();
    const header = request.headers['authorization'];
    const bearer = typeof header === 'string' && /^Bearer\s+/i.test(header) ? header.replace(/^Bearer\s+/i, '').trim() : undefined;
    const apiKey = bearer ?? (typeof request.headers['x-api-key'] === 'string' ? request.headers['x-api-key'] : undefined);
    if (!apiKey) throw new UnauthorizedException({ message: 'Missing API key' });
    await this.suppliers.ready;
    const supplier = this.suppliers.byApiKey(apiKey);
    if (!supplier) throw new UnauthorizedException({ message: 'Unknown API key' });
    if (supplier.settings.status === 'suspended' && request.method !== 'GET') throw new ForbiddenException({ message: 'Supplier suspended' });
    request.supplier = supplier;
    return true;
  }
}
