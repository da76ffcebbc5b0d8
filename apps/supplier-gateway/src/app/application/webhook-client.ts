import { signWebhook } from './secrets';

export interface WebhookDelivery {
  readonly url: string;
  readonly secret: string;
  /** Sent as `x-oms-delivery-id`: the same delivery retried carries the same id. */
  readonly deliveryId: string;
  readonly body: object;
}

export type DeliveryOutcome = { readonly ok: true; readonly status: number; readonly attempts: number } | { readonly ok: false; readonly error: string; readonly attempts: number };

/**
 * POSTs JSON signed like the callbacks we accept (HMAC-SHA256 over `<timestamp>.<body>`), retrying
 * network errors, 429 and 5xx with exponential back-off; a 4xx other than 429 will not get better.
 */
export async function deliverWebhook(
  delivery: WebhookDelivery,
  options: { readonly maxAttempts: number; readonly timeoutMs: number; readonly now: () => Date; readonly sleep?: (ms: number) => Promise<void> },
): Promise<DeliveryOutcome> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const raw = JSON.stringify(delivery.body);
  let lastError = '';
  for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
    const timestamp = Math.floor(options.now().getTime() / 1000);
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-oms-timestamp': String(timestamp),
          'x-oms-signature': `sha256=${signWebhook(delivery.secret, timestamp, raw)}`,
          'x-oms-delivery-id': delivery.deliveryId,
        },
        body: raw,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      if (response.ok) return { ok: true, status: response.status, attempts: attempt };
      lastError = `HTTP ${response.status}`;
      if (response.status < 500 && response.status !== 429) return { ok: false, error: lastError, attempts: attempt };
    } catch (error) {
      lastError = (error as Error).message;
    }
    if (attempt < options.maxAttempts) await sleep(Math.min(30_000, 250 * 2 ** (attempt - 1)));
  }
  return { ok: false, error: lastError, attempts: options.maxAttempts };
}
