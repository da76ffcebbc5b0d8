import { runDecider } from '@oms/event-store/testing';
import { returnableOrderDecider } from './returnable-order';
import { DEFAULT_ROUTING, routeReturn, type NodeInfo, type RoutedPart, type RoutingPolicy, type RoutingRule } from './routing';
import { claimReturn, LINES, nodeInfo, noteSale, noteShipment, units } from './testing/return-fixtures';

/*
 * Given the claimed units, their reasons and what routing knows of the nodes, then the parts: the
 * first matching rule decides where each unit goes, and its name is kept with the part.
 */

const [DAMAGED_IN_TRANSIT, LOW_VALUE, SUPPLIER_TAKES, EVERYTHING_ELSE] = DEFAULT_ROUTING.rules as [RoutingRule, RoutingRule, RoutingRule, RoutingRule];

/** Routes one line's units from one node and returns the single part they make. */
function routeOne(lineId: string, nodeId: string, reason: string, policy: RoutingPolicy = DEFAULT_ROUTING, quantity = 1): RoutedPart {
  const parts = routeReturn('r1', [units(lineId, nodeId, quantity)], { [lineId]: reason }, LINES, nodeInfo, policy);
  expect(parts).toHaveLength(1);
  return parts[0]!;
}
const where = (part: RoutedPart) => ({ destination: part.destination, nodeId: part.nodeId, shippedBy: part.shippedBy, rule: part.rule });

describe('routeReturn', () => {
  describe('DEFAULT_ROUTING', () => {
    it('refunds units damaged in transit without return, even expensive ones from a supplier that takes returns', () => {
      expect(routeOne('L2', 'S1', 'damaged_in_transit')).toEqual({
        partId: 'r1:1',
        destination: 'returnless',
        nodeId: 'S1',
        shippedBy: 'S1',
        rule: 'damaged in transit: refund without return',
        lines: [{ lineId: 'L2', quantity: 1, reason: 'damaged_in_transit' }],
      });
    });

    it.each([
      ['SOCKS, 2000 / 4 = 500', 'L3'],
      ['PEN, 2000 / 2 = 1000: at most the limit', 'L5'],
    ])('refunds a low-value unit without return (%s), before the supplier rule', (_, lineId) => {
      expect(where(routeOne(lineId, 'S1', 'changed_mind'))).toEqual({ destination: 'returnless', nodeId: 'S1', shippedBy: 'S1', rule: 'low value: refund without return' });
    });

    it('sends a unit worth 1001 (CUP, 2002 / 2) to the supplier that takes returns, with its address left to the caller', () => {
      expect(where(routeOne('L6', 'S1', 'changed_mind'))).toEqual({ destination: 'supplier', nodeId: 'S1', shippedBy: 'S1', rule: 'supplier takes its returns' });
    });

    it('sends units to the supplier that shipped them when it takes returns', () => {
      expect(where(routeOne('L1', 'S2', 'defective', DEFAULT_ROUTING, 2))).toEqual({ destination: 'supplier', nodeId: 'S2', shippedBy: 'S2', rule: 'supplier takes its returns' });
    });

    it("sends a refusing supplier's units to the default warehouse, and a warehouse's units back to that warehouse", () => {
      expect(where(routeOne('L1', 'S3', 'defective'))).toEqual({ destination: 'warehouse', nodeId: 'returns-warehouse', shippedBy: 'S3', rule: 'everything else to our warehouse' });
      expect(where(routeOne('L1', 'W1', 'defective'))).toEqual({ destination: 'warehouse', nodeId: 'W1', shippedBy: 'W1', rule: 'everything else to our warehouse' });
    });

    it("routes a line without a reason as 'unspecified'", () => {
      expect(routeReturn('r1', [units('L1', 'S1', 1)], {}, LINES, nodeInfo, DEFAULT_ROUTING)[0]!.lines).toEqual([{ lineId: 'L1', quantity: 1, reason: 'unspecified' }]);
    });
  });

  describe('order of rules', () => {
    it('lets the first matching rule decide and records its name, not a later one that matches too', () => {
      // SOCKS (500) damaged in transit from S1, which takes returns, matches every default rule.
      expect(where(routeOne('L3', 'S1', 'damaged_in_transit'))).toEqual({ destination: 'returnless', nodeId: 'S1', shippedBy: 'S1', rule: 'damaged in transit: refund without return' });
    });

    it('decides otherwise when the same rules come in another order', () => {
      const supplierFirst: RoutingPolicy = { rules: [SUPPLIER_TAKES, DAMAGED_IN_TRANSIT, LOW_VALUE, EVERYTHING_ELSE], defaultWarehouse: 'returns-warehouse' };

      expect(where(routeOne('L3', 'S1', 'damaged_in_transit', supplierFirst))).toEqual({ destination: 'supplier', nodeId: 'S1', shippedBy: 'S1', rule: 'supplier takes its returns' });
      expect(where(routeOne('L3', 'S3', 'damaged_in_transit', supplierFirst))).toEqual({ destination: 'returnless', nodeId: 'S3', shippedBy: 'S3', rule: 'damaged in transit: refund without return' });
    });
  });

  describe('a custom policy', () => {
    const CUSTOM: RoutingPolicy = {
      rules: [
        { name: 'vases are checked at our warehouse', when: { skus: ['VASE'] }, destination: 'warehouse' },
        { name: 'S2 writes off defects', when: { nodeIds: ['S2'], reasons: ['defective'] }, destination: 'returnless' },
        { name: 'S2 takes the rest', when: { nodeIds: ['S2'] }, destination: 'supplier' },
        { name: 'mugs go back to their supplier', when: { skus: ['MUG'], nodeKind: 'supplier' }, destination: 'supplier' },
      ],
      defaultWarehouse: 'W1',
    };

    it.each([
      ['a sku rule before a node rule', 'L7', 'S2', 'defective', { destination: 'warehouse', nodeId: 'W1', shippedBy: 'S2', rule: 'vases are checked at our warehouse' }],
      ['a node rule with a reason', 'L1', 'S2', 'defective', { destination: 'returnless', nodeId: 'S2', shippedBy: 'S2', rule: 'S2 writes off defects' }],
      ['a node rule without a reason', 'L2', 'S2', 'changed_mind', { destination: 'supplier', nodeId: 'S2', shippedBy: 'S2', rule: 'S2 takes the rest' }],
      ['a sku and node-kind rule, whatever the supplier’s own policy', 'L1', 'S3', 'changed_mind', { destination: 'supplier', nodeId: 'S3', shippedBy: 'S3', rule: 'mugs go back to their supplier' }],
      ['no rule: its default warehouse', 'L2', 'S3', 'changed_mind', { destination: 'warehouse', nodeId: 'W1', shippedBy: 'S3', rule: 'no rule matched: warehouse' }],
      ['no low-value rule: even socks go to the warehouse', 'L3', 'S1', 'changed_mind', { destination: 'warehouse', nodeId: 'W1', shippedBy: 'S1', rule: 'no rule matched: warehouse' }],
    ])('routes by %s', (_, lineId, nodeId, reason, expected) => {
      expect(where(routeOne(lineId, nodeId, reason, CUSTOM))).toEqual(expected);
    });
  });

  describe('parts', () => {
    it('splits a multi-supplier return into one part per destination, shipping node and rule, numbered in order', () => {
      const parts = routeReturn(
        'r1',
        [units('L1', 'S1', 2), units('L1', 'S2', 1), units('L2', 'S3', 1), units('L3', 'S1', 4), units('L6', 'S1', 1), units('L7', 'W1', 2)],
        { L1: 'defective', L2: 'changed_mind', L3: 'changed_mind', L6: 'wrong_item', L7: 'not_as_described' },
        LINES,
        nodeInfo,
        DEFAULT_ROUTING,
      );

      expect(parts).toEqual([
        {
          partId: 'r1:1',
          destination: 'supplier',
          nodeId: 'S1',
          shippedBy: 'S1',
          rule: 'supplier takes its returns',
          lines: [
            { lineId: 'L1', quantity: 2, reason: 'defective' },
            { lineId: 'L6', quantity: 1, reason: 'wrong_item' },
          ],
        },
        { partId: 'r1:2', destination: 'supplier', nodeId: 'S2', shippedBy: 'S2', rule: 'supplier takes its returns', lines: [{ lineId: 'L1', quantity: 1, reason: 'defective' }] },
        { partId: 'r1:3', destination: 'warehouse', nodeId: 'returns-warehouse', shippedBy: 'S3', rule: 'everything else to our warehouse', lines: [{ lineId: 'L2', quantity: 1, reason: 'changed_mind' }] },
        { partId: 'r1:4', destination: 'returnless', nodeId: 'S1', shippedBy: 'S1', rule: 'low value: refund without return', lines: [{ lineId: 'L3', quantity: 4, reason: 'changed_mind' }] },
        { partId: 'r1:5', destination: 'warehouse', nodeId: 'W1', shippedBy: 'W1', rule: 'everything else to our warehouse', lines: [{ lineId: 'L7', quantity: 2, reason: 'not_as_described' }] },
      ]);
    });

    it('keeps two refusing suppliers apart though both go to the same warehouse', () => {
      const withS4 = (nodeId: string): NodeInfo => (nodeId === 'S4' ? { kind: 'supplier', acceptsReturns: false } : nodeInfo(nodeId));
      const parts = routeReturn('r1', [units('L1', 'S3', 1), units('L1', 'S4', 2)], { L1: 'changed_mind' }, LINES, withS4, DEFAULT_ROUTING);

      expect(parts.map((p) => ({ partId: p.partId, nodeId: p.nodeId, shippedBy: p.shippedBy, lines: p.lines }))).toEqual([
        { partId: 'r1:1', nodeId: 'returns-warehouse', shippedBy: 'S3', lines: [{ lineId: 'L1', quantity: 1, reason: 'changed_mind' }] },
        { partId: 'r1:2', nodeId: 'returns-warehouse', shippedBy: 'S4', lines: [{ lineId: 'L1', quantity: 2, reason: 'changed_mind' }] },
      ]);
    });

    it('adds up units of one line from one node listed twice', () => {
      expect(routeReturn('r1', [units('L1', 'S1', 1), units('L1', 'S1', 2)], { L1: 'defective' }, LINES, nodeInfo, DEFAULT_ROUTING)).toEqual([
        { partId: 'r1:1', destination: 'supplier', nodeId: 'S1', shippedBy: 'S1', rule: 'supplier takes its returns', lines: [{ lineId: 'L1', quantity: 3, reason: 'defective' }] },
      ]);
    });

    it('routes what a claim took from the order: a line shipped by two suppliers goes back to each', () => {
      const order = runDecider(returnableOrderDecider, [
        noteSale(),
        noteShipment('sh-1', 'S1', { L1: 2, L3: 4 }, '2024-02-25T10:00:00.000Z'),
        noteShipment('sh-2', 'S2', { L1: 1, L2: 1 }, '2024-02-26T10:00:00.000Z'),
        claimReturn('r1', { L1: 3, L2: 1, L3: 4 }),
      ]);
      const decision = order.state.decided['r1']!;
      if (!('units' in decision)) throw new Error('expected the claim to pass');

      const parts = routeReturn('r1', decision.units, { L1: 'defective', L2: 'wrong_item', L3: 'changed_mind' }, order.state.lines, nodeInfo, DEFAULT_ROUTING);

      expect(parts.map((p) => ({ partId: p.partId, destination: p.destination, nodeId: p.nodeId, lines: p.lines.map((l) => `${l.lineId}×${l.quantity}`) }))).toEqual([
        { partId: 'r1:1', destination: 'supplier', nodeId: 'S1', lines: ['L1×2'] },
        { partId: 'r1:2', destination: 'supplier', nodeId: 'S2', lines: ['L1×1', 'L2×1'] },
        { partId: 'r1:3', destination: 'returnless', nodeId: 'S1', lines: ['L3×4'] },
      ]);
    });
  });
});
