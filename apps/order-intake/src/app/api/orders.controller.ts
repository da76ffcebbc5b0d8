import { BadRequestException, Body, Controller, Get, Headers, HttpStatus, NotFoundException, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { handleCommerceMessage, type IntakeOutcome } from '../application/intake-requests';
import { OrderApplication } from '../application/order-application';

/** The canonical order API: the same schema as `commerce.orders.v1`, answered synchronously. */
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrderApplication) {}

  /**
   * 201 accepted, 200 duplicate, 202 cancellation / address change requested, 400 with every
   * failing field, 404 unknown order, 409 same id with other content, 422 amounts that do not add up.
   */
  @Post()
  async submit(
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: { status(code: number): unknown },
  ) {
    const type = typeof (body as { type?: unknown })?.type === 'string' ? (body as { type: string }).type : undefined;
    const outcome = await handleCommerceMessage(this.orders, type, body, { causationId: idempotencyKey?.slice(0, 200) || randomUUID() });
    const [status, response] = respond(outcome);
    res.status(status);
    return response;
  }

  @Get()
  async find(@Query('channel') channel: string | undefined, @Query('externalOrderId') externalOrderId: string | undefined) {
    if (!channel || !externalOrderId) throw new BadRequestException({ message: 'Give channel and externalOrderId, or use /orders/:id', errors: [] });
    return this.get(this.orders.orderIdFor(channel, externalOrderId));
  }

  @Get(':id')
  async get(@Param('id', new ParseUUIDPipe()) id: string) {
    const found = await this.orders.view(id);
    if (!found) throw new NotFoundException({ message: `No order ${id}` });
    return { ...found.view, history: found.history };
  }
}

function respond(outcome: IntakeOutcome): [number, object] {
  switch (outcome.kind) {
    case 'placed': {
      const o = outcome.outcome;
      if (o.kind === 'accepted') return [HttpStatus.CREATED, { orderId: o.orderId, status: 'accepted' }];
      if (o.kind === 'duplicate') return [HttpStatus.OK, { orderId: o.orderId, status: 'duplicate' }];
      if (o.kind === 'conflict') {
        return [HttpStatus.CONFLICT, { orderId: o.orderId, message: 'An order with this channel and external id exists with different content', errors: [] }];
      }
      return [HttpStatus.UNPROCESSABLE_ENTITY, { orderId: o.orderId, message: 'The order amounts do not add up', errors: o.errors }];
    }
    case 'cancellation_requested':
    case 'address_changed':
      return [HttpStatus.ACCEPTED, { orderId: outcome.orderId, ...(outcome.result ?? { duplicate: true }) }];
    case 'refused': {
      const { reason, errors } = outcome.rejection;
      const status = reason === 'unknown_order' ? HttpStatus.NOT_FOUND : reason === 'too_large' ? HttpStatus.PAYLOAD_TOO_LARGE : HttpStatus.BAD_REQUEST;
      return [status, { message: reason === 'unknown_order' ? 'Order not found' : 'Order rejected', reason, errors }];
    }
    default: {
      const never: never = outcome;
      return never;
    }
  }
}
