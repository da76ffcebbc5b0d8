import { FULFILMENT_FACTS, FULFILMENT_REQUESTS, TOPICS } from '@oms/contracts';
import { categoryOf, type RecordedEvent } from '@oms/event-store';
import { outgoingFrom, type OutgoingMessage } from '@oms/messaging';
import { ALLOCATION_CATEGORY } from '../application/sourcing-application';
import type { AllocationEvent } from '../domain/allocation-events';
import type { NodeKind } from '../domain/planning-types';

/**
 * Which stored allocation events leave the service, and where (key: order id). Requests to a node
 * go where the node listens: the supplier gateway on `sourcing.allocations.v1`, the warehouses on
 * `wms.fulfilment-requests.v1`. The candidates behind a plan stay in the store (an SRE reads them
 * through `GET /allocations/:orderId`): they can be large, and no consumer needs them.
 */
export function allocationMessages(event: RecordedEvent): OutgoingMessage[] {
  if (categoryOf(event.streamName) !== ALLOCATION_CATEGORY) return [];
  const orderId = event.streamName.slice(ALLOCATION_CATEGORY.length + 1);
  const stored = { type: event.type, data: event.data } as unknown as AllocationEvent;
  switch (stored.type) {
    case 'FulfilmentPlanned': {
      const { candidates: _candidates, objective: _objective, ...plan } = stored.data;
      return [outgoingFrom(event, TOPICS.sourcingAllocations.name, orderId, FULFILMENT_FACTS.fulfilmentPlanned, { orderId, ...plan })];
    }
    case 'FulfilmentRequested':
      return [outgoingFrom(event, topicFor(stored.data.nodeKind), orderId, FULFILMENT_REQUESTS.fulfilmentRequested, { orderId, ...stored.data })];
    case 'FulfilmentCancellationRequested':
      return [outgoingFrom(event, topicFor(stored.data.nodeKind), orderId, FULFILMENT_REQUESTS.fulfilmentCancellationRequested, { orderId, ...stored.data })];
    case 'LinesUnfulfillable':
      return [outgoingFrom(event, TOPICS.sourcingAllocations.name, orderId, FULFILMENT_REQUESTS.linesUnfulfillable, { orderId, ...stored.data })];
    case 'OrderLinesCancelled': {
      const { nodeId: _nodeId, ...cancelled } = stored.data;
      return [outgoingFrom(event, TOPICS.sourcingAllocations.name, orderId, FULFILMENT_FACTS.orderLinesCancelled, { orderId, ...cancelled })];
    }
    case 'AllocationOpened':
    case 'ShipToChanged':
    case 'UnitsReturnedByNode':
    case 'ShipmentRecorded':
      return [];
    default: {
      const never: never = stored;
      return never;
    }
  }
}

const topicFor = (kind: NodeKind) => (kind === 'warehouse' ? TOPICS.wmsFulfilmentRequests.name : TOPICS.sourcingAllocations.name);
