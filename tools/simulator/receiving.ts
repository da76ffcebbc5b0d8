import { TOPICS } from '@oms/contracts';
import { call, listen, type SimulatorLinks } from './links';
import { chance } from './random';
import { Schedule, type Scheduled } from './schedule';

const HOUR = 3_600_000;

export interface ExpectedParcel {
  readonly returnId: string;
  readonly partId: string;
  readonly nodeId: string;
  readonly lines: readonly { readonly lineId: string; readonly quantity: number }[];
}

/**
 * The receiving docks of the suppliers and the returns warehouse: a routed return part arrives
 * after its transit time and the node reports what came back, and in what condition, to the
 * returns router (`POST /returns/:id/parts/:part/receipts`). Returnless parts never travel.
 */
export class SimulatedReceiving {
  readonly parcels: Schedule<ExpectedParcel>;
  readonly counts = { expected: 0, received: 0, damaged: 0 };

  constructor(
    private readonly links: SimulatorLinks,
    private readonly seed: string,
    private readonly transitHours: number,
    /** Share of parcels that arrive with a unit damaged. */
    private readonly damagedShare: number,
    saved: readonly Scheduled<ExpectedParcel>[] = [],
  ) {
    this.parcels = new Schedule(saved);
  }

  async start(groupId: string): Promise<void> {
    const runtime = await this.links.messaging(groupId, [TOPICS.returns]);
    await listen(runtime, {
      [TOPICS.returns.name]: ({ type, payload }) => {
        if (type !== 'ReturnRouted') return;
        const routedAt = Date.parse(String(payload['routedAt']));
        for (const part of (payload['parts'] ?? []) as { partId: string; destination: string; nodeId: string; lines: { lineId: string; quantity: number }[] }[]) {
          if (part.destination === 'returnless') continue;
          const key = `${String(payload['returnId'])}:${part.partId}`;
          if (!this.parcels.has(key)) this.counts.expected++;
          this.parcels.add(key, new Date(routedAt + this.transitHours * HOUR), { returnId: String(payload['returnId']), partId: part.partId, nodeId: part.nodeId, lines: part.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity })) });
        }
      },
    });
    this.close = () => runtime.close();
  }

  close: () => Promise<void> = async () => undefined;

  async tick(now: Date): Promise<void> {
    for (const { key, item } of this.parcels.due(now)) {
      const damaged = chance(this.damagedShare, this.seed, 'damaged', key);
      const receipt = {
        receiptId: `rcv-${item.nodeId}-${item.partId}`,
        lines: item.lines.map((l, index) => ({ lineId: l.lineId, quantity: l.quantity, condition: damaged && index === 0 ? 'damaged' : 'acceptable' })),
      };
      const reply = await call('POST', `${this.links.returnsUrl}/returns/${item.returnId}/parts/${encodeURIComponent(item.partId)}/receipts`, { body: receipt });
      if (reply.status === 0 || reply.status >= 500) return;
      if (reply.status >= 400) this.links.log(`receipt of return ${item.returnId} part ${item.partId} → ${reply.status} ${JSON.stringify(reply.body).slice(0, 200)}`);
      else {
        this.counts.received++;
        if (damaged) this.counts.damaged++;
      }
      this.parcels.remove(key);
    }
  }
}
