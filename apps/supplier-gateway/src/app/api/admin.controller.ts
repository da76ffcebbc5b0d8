import { BadRequestException, Body, ConflictException, Controller, Get, HttpCode, NotFoundException, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { bearerTokenGuard, ParseIdPipe } from '@oms/platform';
import { PurchaseOrderIndex } from '../application/purchase-order-index';
import { SupplierDirectory } from '../application/supplier-directory';
import { SupplierError, type SupplierSettings } from '../domain/supplier';
import type { GatewayEnv } from '../gateway.env';
import { RegisterSupplierDto, SupplierSettingsDto } from './admin.dto';
import { readBody } from './supplier-replies';

/** `Authorization: Bearer <GATEWAY_ADMIN_TOKEN>`; with no token configured, nobody is admin. */
export const AdminTokenGuard = bearerTokenGuard<GatewayEnv>((env) => env.GATEWAY_ADMIN_TOKEN, 'Admin');

const REQUIRED: readonly (keyof SupplierSettings)[] = ['name', 'code', 'connector', 'confirmWithinHours', 'shipWithinHours'];

/** Supplier onboarding and the dispute view of a PO. Credentials are shown once, at issue. */
@Controller('admin')
@UseGuards(AdminTokenGuard)
export class AdminController {
  constructor(
    private readonly suppliers: SupplierDirectory,
    private readonly index: PurchaseOrderIndex,
  ) {}

  @Post('suppliers')
  async register(@Body() body: unknown) {
    const { supplierId, ...dto } = readBody(RegisterSupplierDto, body);
    const missing = REQUIRED.filter((k) => dto[k] === undefined);
    if (missing.length > 0) throw new BadRequestException({ message: 'Invalid request', errors: missing.map((field) => ({ field, message: 'is required' })) });
    // The validated body has every optional field as a key (undefined when not sent): only those
    // sent may replace a default, or a supplier registered without a status would have none.
    const sent = Object.fromEntries(Object.entries(dto).filter(([, value]) => value !== undefined));
    const settings = { enforceShipBy: false, timeoutPolicy: 'resource', status: 'active', ...sent } as SupplierSettings;
    this.checkConnector(settings);
    const issued = await this.guard(() => this.suppliers.register(supplierId, settings));
    return { supplierId, settings: issued.supplier.settings, apiKey: issued.apiKey, ...(issued.webhookSecret ? { webhookSecret: issued.webhookSecret } : {}) };
  }

  @Patch('suppliers/:supplierId')
  async change(@Param('supplierId', ParseIdPipe) supplierId: string, @Body() body: unknown) {
    const changes = readBody(SupplierSettingsDto, body) as Partial<SupplierSettings>;
    const current = this.suppliers.get(supplierId) ?? (await this.suppliers.load(supplierId));
    if (!current) throw new NotFoundException({ message: `No supplier ${supplierId}` });
    this.checkConnector({ ...current.settings, ...changes });
    const supplier = await this.guard(() => this.suppliers.change(supplierId, changes));
    return { supplierId, settings: supplier.settings };
  }

  /** Rotation: new credentials, shown once; the replaced ones keep working until `previousValidUntil`. */
  @Post('suppliers/:supplierId/credentials')
  @HttpCode(200)
  async rotate(@Param('supplierId', ParseIdPipe) supplierId: string) {
    const issued = await this.guard(() => this.suppliers.issueCredentials(supplierId));
    const previous = this.suppliers.previousOf(issued.supplier);
    return { supplierId, apiKey: issued.apiKey, ...(issued.webhookSecret ? { webhookSecret: issued.webhookSecret } : {}), previousValidUntil: previous?.validUntil ?? null };
  }

  /** Ends a rotation's grace period at once (the supplier switched, or the old key leaked). */
  @Post('suppliers/:supplierId/credentials/retire-previous')
  @HttpCode(200)
  async retirePrevious(@Param('supplierId', ParseIdPipe) supplierId: string) {
    const { retired } = await this.guard(() => this.suppliers.retirePrevious(supplierId));
    return { supplierId, retired };
  }

  @Get('suppliers/:supplierId')
  async get(@Param('supplierId', ParseIdPipe) supplierId: string) {
    const supplier = this.suppliers.get(supplierId) ?? (await this.suppliers.load(supplierId));
    if (!supplier) throw new NotFoundException({ message: `No supplier ${supplierId}` });
    const previous = this.suppliers.previousOf(supplier);
    return { supplierId, settings: supplier.settings, apiKeyPrefix: supplier.credentials?.apiKeyPrefix ?? null, previousApiKey: previous ?? null };
  }

  /** Everything that happened to a PO, with every supplier message as received: for disputes. */
  @Get('purchase-orders/:poId')
  async purchaseOrder(@Param('poId', ParseIdPipe) poId: string) {
    const po = await this.index.get(poId);
    if (!po) throw new NotFoundException({ message: `No purchase order ${poId}` });
    const history = await this.index.history(poId);
    return { poId, status: po.status, purchaseOrder: po.po, history: history.map((e) => ({ revision: e.revision, type: e.type, recordedAt: e.recordedAt.toISOString(), data: e.data })) };
  }

  private checkConnector(settings: SupplierSettings): void {
    if (settings.connector === 'webhook' && !settings.webhookUrl) throw new BadRequestException({ message: 'Invalid request', errors: [{ field: 'webhookUrl', message: 'is required for the webhook connector' }] });
    if (settings.connector === 'edi' && !settings.edi) throw new BadRequestException({ message: 'Invalid request', errors: [{ field: 'edi', message: 'is required for the EDI connector' }] });
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof SupplierError) throw /already/.test(error.message) ? new ConflictException({ message: error.message }) : new BadRequestException({ message: error.message });
      throw error;
    }
  }
}
