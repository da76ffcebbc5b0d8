import { Controller, Headers, HttpCode, Inject, Param, Post, Req, UnauthorizedException, type RawBodyRequest } from '@nestjs/common';
import { CLOCK, SERVICE_ENV, type Clock } from '@oms/platform';
import { decryptSecret, verifyWebhook } from '../application/secrets';
import { SupplierDirectory, type RegisteredSupplier } from '../application/supplier-directory';
import { SupplierInbox, type InboxOutcome } from '../application/supplier-inbox';
import type { Received } from '../domain/purchase-order-events';
import type { GatewayEnv } from '../gateway.env';
import { AcknowledgementDto, CancellationAnswerDto, InvoiceDto, ShipmentDto, StockFeedDto, SupplierCancellationDto, WebhookCallbackDto } from './supplier-api.dto';
import { readBody, receivedVia, reply } from './supplier-replies';

/**
 * Signed callbacks from webhook suppliers: HMAC-SHA256 over `<timestamp>.<raw body>` with the
 * supplier's secret, within the replay window, compared in constant time. Anything else is 401 and
 * changes nothing. The path names the supplier; the signature proves it.
 */
@Controller('supplier-webhooks')
export class SupplierWebhooksController {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_ENV) private readonly env: GatewayEnv,
    private readonly suppliers: SupplierDirectory,
    private readonly inbox: SupplierInbox,
  ) {}

  @Post(':supplierId')
  @HttpCode(200)
  async callback(
    @Param('supplierId') supplierId: string,
    @Req() req: RawBodyRequest<{ body: unknown }>,
    @Headers('x-oms-timestamp') timestamp: string | undefined,
    @Headers('x-oms-signature') signature: string | undefined,
    @Headers('content-type') contentType: string | undefined,
  ) {
    const supplier = await this.authenticate(supplierId, req.rawBody, { timestamp, signature });
    const received = receivedVia('webhook', supplier, req.rawBody, contentType, this.clock.now());
    const callback = readBody(WebhookCallbackDto, req.body);
    return reply(() => this.route(supplier, callback, req.body, received));
  }

  private async route(supplier: RegisteredSupplier, callback: WebhookCallbackDto, body: unknown, received: Received): Promise<InboxOutcome> {
    if (callback.type === 'stock') return this.inbox.stock(supplier, readBody(StockFeedDto, body), received);
    const poId = await this.inbox.poIdOf(supplier, { ...(callback.poId ? { poId: callback.poId } : {}), ...(callback.poNumber ? { poNumber: callback.poNumber } : {}) });
    switch (callback.type) {
      case 'acknowledgement':
        return this.inbox.acknowledge(supplier, poId, readBody(AcknowledgementDto, body).lines, received);
      case 'shipment':
        return this.inbox.ship(supplier, poId, readBody(ShipmentDto, body), received);
      case 'invoice':
        return this.inbox.invoice(supplier, poId, readBody(InvoiceDto, body), received);
      case 'cancellation_answer':
        return this.inbox.answerCancellation(supplier, poId, readBody(CancellationAnswerDto, body), received);
      case 'cancellation':
        return this.inbox.cancel(supplier, poId, readBody(SupplierCancellationDto, body), received);
      default: {
        const never: never = callback.type;
        return never;
      }
    }
  }

  private async authenticate(supplierId: string, rawBody: Buffer | undefined, headers: { timestamp: string | undefined; signature: string | undefined }): Promise<RegisteredSupplier> {
    await this.suppliers.ready;
    const supplier = this.suppliers.get(supplierId);
    // The current secret, and during a rotation's grace period the one it replaced.
    const secrets = supplier ? this.suppliers.webhookSecretsOf(supplier) : [];
    // One answer for every failure: an attacker learns nothing about which suppliers exist.
    const refuse = (reason: string) => new UnauthorizedException({ message: `Webhook not accepted: ${reason}` });
    const key = this.env.GATEWAY_SECRETS_KEY;
    if (!supplier || secrets.length === 0 || !key || !rawBody) throw refuse('unknown supplier or no signature');
    const checks = secrets.map((secret) => verifyWebhook(decryptSecret(secret, key), headers, rawBody, this.clock.now(), this.env.GATEWAY_WEBHOOK_TOLERANCE_SECONDS));
    if (!checks.some((check) => check.ok)) throw refuse('bad signature or stale timestamp');
    if (supplier.settings.status === 'suspended') throw refuse('supplier suspended');
    return supplier;
  }
}
