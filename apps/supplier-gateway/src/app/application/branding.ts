import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { PoAddress } from '../domain/purchase-order-events';
import type { GatewayEnv } from '../gateway.env';

/** The retailer's brand, as printed on blind drop-ship documents. */
export interface Branding {
  readonly name: string;
  readonly message?: string;
  readonly returnAddress?: PoAddress;
  readonly logo?: Buffer;
}

export function brandingFrom(env: GatewayEnv): Branding {
  return {
    name: env.BRAND_NAME,
    ...(env.BRAND_MESSAGE ? { message: env.BRAND_MESSAGE } : {}),
    ...(env.BRAND_RETURN_ADDRESS ? { returnAddress: JSON.parse(env.BRAND_RETURN_ADDRESS) as PoAddress } : {}),
    ...(env.BRAND_LOGO_FILE ? { logo: readFileSync(env.BRAND_LOGO_FILE) } : {}),
  };
}

/** Which brand a PO was created under: a short hash, so a rebrand is visible on new POs only. */
export function brandingRef(env: GatewayEnv): string {
  const known = refs.get(env);
  if (known) return known;
  const { logo, ...rest } = brandingFrom(env);
  const ref = createHash('sha256').update(JSON.stringify(rest)).update(logo ?? Buffer.alloc(0)).digest('hex').slice(0, 16);
  refs.set(env, ref);
  return ref;
}

const refs = new WeakMap<GatewayEnv, string>();
