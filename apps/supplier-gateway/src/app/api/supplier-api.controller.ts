import { BadRequestException, Body, Controller, ForbiddenException, Get, Header, HttpCode, Inject, NotFoundException, Param, Post, Query, Req, ServiceUnavailableException, StreamableFile, UseGuards, type RawBodyRequest } from '@nestjs/common';
import { CLOCK, ParseIdPipe, SERVICE_ENV, type Clock } from '@oms/platform';
import { PersonalData } from '@oms/privacy';
import { brandingFrom } from '../application/branding';
import { BrandingMissingError, packingSlip, purchaseOrderJson, withShipToOpened } from '../application/outbound-documents';
import { PurchaseOrderIndex } from '../application/purchase-order-index';
import { NotYourPurchaseOrderError, PurchaseOrderApplication } from '../application/purchase-orders';
import type { RegisteredSupplier } from '../application/supplier-directory';
import { SupplierInbox, UnreadableSupplierMessageError } from '../application/supplier-inbox';
import type { GatewayEnv } from '../gateway.env';
import { AcknowledgementDto, CancellationAnswerDto, InvoiceDto, ShipmentDto, StockFeedDto, SupplierCancellationDto } from './supplier-api.dto';
import { SupplierApiKeyGuard, type SupplierRequest } from './supplier-auth';
import { readBody, receivedVia, reply } from './supplier-replies';

type Request = RawBodyRequest<SupplierRequest & { body: unknown }> & { supplier: RegisteredSupplier };

/**
 * The supplier API: a supplier sees and answers only its own purchase orders. The customer's ship-to
 * is opened as each answer is made (the POs keep it sealed).
 */
@Controller('supplier-api')
@UseGuards(SupplierApiKeyGuard)
export class SupplierApiController {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_ENV) private readonly env: GatewayEnv,
    private readonly index: PurchaseOrderIndex,
    private readonly purchaseOrders: PurchaseOrderApplication,
    private readonly inbox: SupplierInbox,
    private readonly personal: PersonalData,
  ) {}

  @Get('purchase-orders')
  async list(@Req() req: Request, @Query('status') status: string | undefined) {
    await this.index.ready;
    const open = ['created', 'dispatched', 'acknowledged', 'partially_shipped'];
    const all = this.index.ofSupplier(req.supplier.supplierId);
    const picked = status === 'open' || status === undefined ? all.filter((p) => open.includes(p.status)) : status === 'all' ? all : all.filter((p) => p.status === status);
    const opened = await Promise.all(picked.map((p) => withShipToOpened(this.personal, p)));
    return { purchaseOrders: opened.map(purchaseOrderJson) };
  }

  @Get('purchase-orders/:poId')
  async get(@Req() req: Request, @Param('poId', ParseIdPipe) poId: string) {
    return purchaseOrderJson(await withShipToOpened(this.personal, await this.own(req, poId)));
  }

  /** The PO's EDI documents (850, and 860s for cancellations), newest last. */
  @Get('purchase-orders/:poId/edi')
  @Header('content-type', 'application/edi-x12')
  async documents(@Req() req: Request, @Param('poId', ParseIdPipe) poId: string) {
    await this.own(req, poId);
    const history = await this.index.history(poId);
    const documents = history.flatMap((e) => (typeof (e.data as { document?: unknown }).document === 'string' ? [(e.data as { document: string }).document] : []));
    if (documents.length === 0) throw new NotFoundException({ message: 'No EDI documents for this purchase order' });
    // The 850 was recorded sealed under the customer's key: after an erasure it reads `[erased]`.
    return (await this.personal.openDeep(documents)).join('\n');
  }

  @Get('purchase-orders/:poId/packing-slip.pdf')
  async slip(@Req() req: Request, @Param('poId', ParseIdPipe) poId: string) {
    const po = await withShipToOpened(this.personal, await this.own(req, poId));
    try {
      const pdf = await packingSlip(po.po, req.supplier.settings.name, brandingFrom(this.env));
      return new StreamableFile(pdf, { type: 'application/pdf', disposition: `inline; filename="${po.po.poNumber}.pdf"` });
    } catch (error) {
      if (error instanceof BrandingMissingError) throw new ServiceUnavailableException({ message: error.message });
      throw error;
    }
  }

  @Post('purchase-orders/:poId/acknowledgement')
  @HttpCode(200)
  acknowledge(@Req() req: Request, @Param('poId', ParseIdPipe) poId: string, @Body() body: unknown) {
    const ack = readBody(AcknowledgementDto, body);
    return reply(() => this.inbox.acknowledge(req.supplier, poId, ack.lines, this.received(req)));
  }

  @Post('purchase-orders/:poId/shipments')
  @HttpCode(200)
  ship(@Req() req: Request, @Param('poId', ParseIdPipe) poId: string, @Body() body: unknown) {
    const shipment = readBody(ShipmentDto, body);
    return reply(() => this.inbox.ship(req.supplier, poId, shipment, this.received(req)));
  }

  @Post('purchase-orders/:poId/invoices')
  @HttpCode(200)
  invoice(@Req() req: Request, @Param('poId', ParseIdPipe) poId: string, @Body() body: unknown) {
    const invoice = readBody(InvoiceDto, body);
    return reply(() => this.inbox.invoice(req.supplier, poId, invoice, this.received(req)));
  }

  /** The supplier's answer to our cancellation request. */
  @Post('purchase-orders/:poId/cancellation-answer')
  @HttpCode(200)
  answer(@Req() req: Request, @Param('poId', ParseIdPipe) poId: string, @Body() body: unknown) {
    const answer = readBody(CancellationAnswerDto, body);
    return reply(() => this.inbox.answerCancellation(req.supplier, poId, answer, this.received(req)));
  }

  /** The supplier cannot fulfil some (or all) open units. */
  @Post('purchase-orders/:poId/cancellation')
  @HttpCode(200)
  cancel(@Req() req: Request, @Param('poId', ParseIdPipe) poId: string, @Body() body: unknown) {
    const cancel = readBody(SupplierCancellationDto, body);
    return reply(() => this.inbox.cancel(req.supplier, poId, cancel, this.received(req)));
  }

  @Post('stock')
  @HttpCode(200)
  stock(@Req() req: Request, @Body() body: unknown) {
    const feed = readBody(StockFeedDto, body);
    return reply(() => this.inbox.stock(req.supplier, feed, this.received(req)));
  }

  /** An X12 interchange (855, 856, 810, 846) as the body (`application/edi-x12` or `text/plain`). */
  @Post('edi')
  @HttpCode(200)
  async edi(@Req() req: Request) {
    const text = typeof req.body === 'string' ? req.body : (req.rawBody?.toString('utf8') ?? '');
    try {
      return { transactionSets: await this.inbox.edi(req.supplier, text, this.clock.now()) };
    } catch (error) {
      if (error instanceof UnreadableSupplierMessageError) throw new BadRequestException({ message: error.message });
      if (error instanceof NotYourPurchaseOrderError) throw new ForbiddenException({ message: error.message });
      throw error;
    }
  }

  private received(req: Request) {
    const type = req.headers['content-type'];
    return receivedVia('api', req.supplier, req.rawBody ?? JSON.stringify(req.body), typeof type === 'string' ? type : undefined, this.clock.now());
  }

  private async own(req: Request, poId: string) {
    try {
      await this.purchaseOrders.forSupplier(req.supplier.supplierId, poId);
      // Authorised from memory; what the supplier reads is the stream as it is now.
      return (await this.index.get(poId))!;
    } catch (error) {
      if (error instanceof NotYourPurchaseOrderError) throw new NotFoundException({ message: error.message });
      throw error;
    }
  }
}
