import type { ClaimError } from './returnable-order';
import type { RoutedPart } from './routing';

/** One customer return (`return-<returnId>`), split into parts by destination, each received on its own. */
export type Condition = 'acceptable' | 'damaged' | 'wrong_item' | 'missing';

export type ReturnEvent =
  | {
      readonly type: 'ReturnRouted';
      readonly data: {
        readonly returnId: string;
        readonly orderId: string;
        readonly parts: readonly (RoutedPart & { readonly rmaNumber?: string; readonly address?: Readonly<Record<string, string>>; readonly receiveBy?: string })[];
        readonly comment?: string;
        readonly routedAt: string;
      };
    }
  | { readonly type: 'ReturnRejected'; readonly data: { readonly returnId: string; readonly orderId: string; readonly errors: readonly ClaimError[]; readonly rejectedAt: string } }
  | {
      readonly type: 'ReturnPartReceived';
      readonly data: {
        readonly orderId: string;
        readonly partId: string;
        readonly receiptId: string;
        /** Units the node received, by condition; only `acceptable` ones are refunded. */
        readonly lines: readonly { readonly lineId: string; readonly quantity: number; readonly condition: Condition }[];
        readonly receivedAt: string;
      };
    }
  | {
      readonly type: 'RefundApproved';
      readonly data: {
        readonly orderId: string;
        readonly partId: string;
        readonly destination: 'supplier' | 'retailer' | 'none';
        readonly nodeId: string;
        readonly lines: readonly { readonly lineId: string; readonly quantity: number }[];
        /** The supplier caused it (defective, wrong item): counts against its scorecard. */
        readonly attributableToSupplier: boolean;
        readonly reason: string;
        readonly approvedAt: string;
      };
    }
  | { readonly type: 'ReturnException'; readonly data: { readonly orderId: string; readonly partId: string; readonly reason: string; readonly raisedAt: string } };
