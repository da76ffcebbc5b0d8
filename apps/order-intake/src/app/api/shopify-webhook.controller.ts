import { createHash } from 'node:crypto';
import { Controller, Headers, HttpCode, Inject, Post, Req, UnauthorizedException, type RawBodyRequest } from '@nestjs/common';
import { OrderPlacedV1, validatePayload, type FieldError } from '@oms/contracts';
import { SERVICE_ENV } from '@oms/platform';
import { CustomerErasedError, OrderApplication } from '../application/order-application';
import { toPlacedOrder } from '../application/to-domain';
import type { OrderIntakeEnv } from '../order-intake.env';
import { verifyShopifyHmac } from '../shopify/shopify-hmac';
import { mapShopifyOrder } from '../shopify/shopify-order.mapper';

/**
 * Shopify's native `orders/create` webhook. The signature is checked on the raw bytes first; then
 * the order is mapped to the canonical one. A signed order we cannot take is answered 200 with the
 * rejection recorded and published — a non-2xx answer only makes Shopify retry the same body for
 * 48 hours and then delete the subscription.
 */
@Controller('webhooks/shopify')
export class ShopifyWebhookController {
  private readonly secrets: string[];

  constructor(
    private readonly orders: OrderApplication,
    @Inject(SERVICE_ENV) env: OrderIntakeEnv,
  ) {
    this.secrets = (env.SHOPIFY_WEBHOOK_SECRETS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  }

  @Post('orders')
  @HttpCode(200)
  async ordersCreate(
    @Req() req: RawBodyRequest<{ body: unknown }>,
    @Headers('x-shopify-hmac-sha256') hmac: string | undefined,
    @Headers('x-shopify-webhook-id') webhookId: string | undefined,
    @Headers('x-shopify-shop-domain') shopDomain: string | undefined,
  ) {
    if (!req.rawBody || !verifyShopifyHmac(req.rawBody, hmac, this.secrets)) {
      throw new UnauthorizedException({ message: 'Invalid or missing X-Shopify-Hmac-Sha256' });
    }
    // Shopify retries a delivery with the same webhook id: that id is the command's cause.
    const cause = { causationId: `shopify-webhook:${webhookId ?? createHash('sha256').update(req.rawBody).digest('hex')}` };
    const mapped = mapShopifyOrder(req.body, shopDomain);
    const canonical = mapped.ok ? validatePayload(OrderPlacedV1, mapped.order) : mapped;
    const order = canonical.ok ? toPlacedOrder(canonical.value) : canonical;
    if (!order.ok) return this.reject(order.errors, mapped.ok ? mapped.order : undefined, cause);
    const outcome = await this.orders.place(order.value, cause).catch((error: unknown) => {
      if (error instanceof CustomerErasedError) return error;
      throw error;
    });
    if (outcome instanceof CustomerErasedError) return this.reject([{ field: 'customer', message: outcome.message }], mapped.ok ? mapped.order : undefined, cause);
    return { orderId: outcome.orderId, status: outcome.kind, ...(outcome.kind === 'rejected' ? { errors: outcome.errors } : {}) };
  }

  private async reject(errors: readonly FieldError[], order: OrderPlacedV1 | undefined, cause: { causationId: string }) {
    await this.orders.recordRejection(
      { reason: 'invalid', errors, ...(order ? { channel: order.channel, externalOrderId: order.externalOrderId } : {}) },
      cause,
    );
    return { status: 'rejected', errors };
  }
}
