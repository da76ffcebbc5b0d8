import { Controller, Get, NotFoundException, Param, ParseUUIDPipe } from '@nestjs/common';
import { planInForce, unplanned } from '../domain/allocation';
import { NodeCatalogProjection } from '../application/node-catalog.projection';
import { SourcingApplication } from '../application/sourcing-application';

/**
 * For support and SREs: why an order went where it went (every decision with the candidates it
 * weighed), and what sourcing believes about a node right now.
 */
@Controller()
export class AllocationsController {
  constructor(
    private readonly sourcing: SourcingApplication,
    private readonly catalog: NodeCatalogProjection,
  ) {}

  @Get('allocations/:orderId')
  async allocation(@Param('orderId', new ParseUUIDPipe()) orderId: string) {
    const found = await this.sourcing.allocation(orderId);
    if (!found) throw new NotFoundException(`No allocation for order ${orderId}`);
    const { state, events } = found;
    return {
      orderId,
      version: state.version,
      ...planInForce(state),
      groups: Object.values(state.groups),
      unplanned: unplanned(state),
      cancelled: state.cancelled,
      shipped: state.shipped,
      pendingCancellation: state.pendingCancel,
      excluded: state.excluded,
      history: events.map((e) => ({ revision: e.revision, type: e.type, recordedAt: e.recordedAt.toISOString(), data: e.data })),
    };
  }

  @Get('nodes/:nodeId')
  node(@Param('nodeId') nodeId: string) {
    const node = this.catalog.node(nodeId);
    if (!node) throw new NotFoundException(`Sourcing knows nothing of node ${nodeId}`);
    return node;
  }
}
