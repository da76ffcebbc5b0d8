import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { CATALOG_EVENTS, NodeOffersPublishedV1, StockReportedV1, SupplierProfileUpdatedV1, SupplierScorecardUpdatedV1, TOPICS } from '@oms/contracts';
import { MessageContext } from '@oms/messaging';
import { SourcingApplication } from '../application/sourcing-application';
import { causeOf, readPayload } from './read-payload';

/** The feeds sourcing keeps its node catalog from: offers, stock, scorecards, supplier profiles. */
@Controller()
export class NodeFeedsHandler {
  constructor(private readonly sourcing: SourcingApplication) {}

  @EventPattern(TOPICS.catalogOffers.name)
  async offers(@Payload() payload: unknown, @Ctx() ctx: MessageContext): Promise<void> {
    const type = ctx.getMessage().envelope.type;
    if (type !== CATALOG_EVENTS.nodeOffersPublished) return;
    const feed = readPayload(NodeOffersPublishedV1, payload, type);
    const { node } = feed;
    await this.sourcing.recordCatalogFact(
      {
        kind: 'offers',
        nodeId: feed.nodeId,
        node: {
          kind: node.kind,
          handlingDays: node.handlingDays,
          transitDays: node.transitDays,
          shipping: { perShipment: node.shipping.perShipment, perUnit: node.shipping.perUnit },
          dropShipAllowed: node.dropShipAllowed,
          currency: feed.currency,
          ...(node.region !== undefined ? { region: node.region } : {}),
          ...(node.safetyBuffer !== undefined ? { safetyBuffer: node.safetyBuffer } : {}),
          ...(node.freshnessLimitHours !== undefined ? { freshnessLimitHours: node.freshnessLimitHours } : {}),
        },
        offers: feed.offers.map((o) => ({ sku: o.sku, unitCost: o.unitCost })),
        snapshot: feed.snapshot,
        asOf: feed.asOf,
      },
      causeOf(ctx),
    );
  }

  @EventPattern(TOPICS.inventoryStock.name)
  async stock(@Payload() payload: unknown, @Ctx() ctx: MessageContext): Promise<void> {
    const type = ctx.getMessage().envelope.type;
    if (type !== CATALOG_EVENTS.stockReported) return;
    const feed = readPayload(StockReportedV1, payload, type);
    await this.sourcing.recordStock({ nodeId: feed.nodeId, mode: feed.mode, items: feed.items.map((i) => ({ sku: i.sku, quantity: i.quantity })), asOf: feed.asOf }, causeOf(ctx));
  }

  @EventPattern(TOPICS.supplierScorecards.name)
  async scorecards(@Payload() payload: unknown, @Ctx() ctx: MessageContext): Promise<void> {
    const type = ctx.getMessage().envelope.type;
    if (type !== CATALOG_EVENTS.supplierScorecardUpdated) return;
    const card = readPayload(SupplierScorecardUpdatedV1, payload, type);
    await this.sourcing.recordCatalogFact(
      {
        kind: 'scorecard',
        supplierId: card.supplierId,
        flagged: card.flagged,
        ...(card.suspended ? { suspended: true } : {}),
        asOf: card.asOf,
        ...(card.reliability !== undefined ? { reliability: card.reliability } : {}),
        ...(card.observedShipDays ? { observedShipDays: { p50: card.observedShipDays.p50, p90: card.observedShipDays.p90 } } : {}),
      },
      causeOf(ctx),
    );
  }

  @EventPattern(TOPICS.supplierProfiles.name)
  async profiles(@Payload() payload: unknown, @Ctx() ctx: MessageContext): Promise<void> {
    const type = ctx.getMessage().envelope.type;
    if (type !== CATALOG_EVENTS.supplierProfileUpdated) return;
    const profile = readPayload(SupplierProfileUpdatedV1, payload, type);
    await this.sourcing.recordCatalogFact({ kind: 'profile', supplierId: profile.supplierId, status: profile.status, asOf: profile.asOf }, causeOf(ctx));
  }
}
