import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * Test inputs for the Shopify mapper: the shared real-world fixture (never edited) and the
 * hand-made variants beside this file. Every reader returns a fresh copy, so tests may mutate it.
 */

export type ShopifyJson = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- free-form test data

const FIXTURE = path.join('shopify', 'order-rest-api.json');

/**
 * The shared fixtures directory: `$OMS_FIXTURES_DIR` (the `fixtures` directory itself, or the
 * `shared` directory holding it) when set, else the first `shared/fixtures` found walking up from
 * here — `<repo>/../shared/fixtures` in the usual checkout. Throws, with where it looked, when
 * there is none: a missing fixture must fail the tests, never skip them.
 */
export function sharedFixturesDir(): string {
  const fromEnv = process.env['OMS_FIXTURES_DIR'];
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    const candidates = [path.resolve(fromEnv), path.resolve(fromEnv, 'fixtures')];
    const found = candidates.find((dir) => existsSync(path.join(dir, FIXTURE)));
    if (found !== undefined) return found;
    throw new Error(`OMS_FIXTURES_DIR=${fromEnv} but neither ${candidates.map((c) => path.join(c, FIXTURE)).join(' nor ')} exists`);
  }
  const looked: string[] = [];
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared', 'fixtures');
    looked.push(candidate);
    if (existsSync(path.join(candidate, FIXTURE))) return candidate;
    if (path.dirname(dir) === dir) break;
  }
  // The repository's own byte-identical copy (fixtures/ at its root).
  const vendored = path.resolve(__dirname, '../../../../../../fixtures');
  looked.push(vendored);
  if (existsSync(path.join(vendored, FIXTURE))) return vendored;
  throw new Error(
    `Shopify fixture ${FIXTURE} not found: set OMS_FIXTURES_DIR to the shared fixtures directory, ` +
      `or check out the shared fixtures beside the repository (<repo>/../shared/fixtures). Looked in: ${looked.join(', ')}`,
  );
}

/** The exact bytes of the shared REST fixture (`{"order": …}`). */
export function shopifyFixtureBytes(): Buffer {
  return readFileSync(path.join(sharedFixturesDir(), FIXTURE));
}

/** The fixture's order object: what an `orders/create` webhook body holds. */
export function shopifyFixtureOrder(): ShopifyJson {
  return (JSON.parse(shopifyFixtureBytes().toString('utf8')) as { order: ShopifyJson }).order;
}

/** The exact bytes of the hand-made modern `orders/create` webhook body beside this file. */
export function webhookBytes(): Buffer {
  return readFileSync(path.join(__dirname, 'orders-create-webhook.json'));
}

/**
 * A hand-made modern `orders/create` body: `discount_applications` with a code and an automatic
 * shipping discount, `discount_allocations`, line and shipping `tax_lines`, `*_set` amounts with a
 * different presentment currency (EUR), an empty sku, a removed (quantity 0) line, two shipping
 * lines, a customer without email, a billing address reduced to country and zip.
 */
export function webhookOrder(): ShopifyJson {
  return JSON.parse(webhookBytes().toString('utf8')) as ShopifyJson;
}

/** A JPY order (no minor digits), built on the fixture: whole-yen prices and one shipping line. */
export function jpyOrder(): ShopifyJson {
  const order = shopifyFixtureOrder();
  order['currency'] = 'JPY';
  order['line_items'] = order['line_items'].slice(0, 2);
  order['line_items'][0].price = '1500';
  order['line_items'][0].quantity = 2;
  order['line_items'][1].price = '980.00';
  order['line_items'][1].tax_lines = [{ title: '消費税', rate: 0.1, price: '98' }];
  order['line_items'][0].tax_lines = [{ title: '消費税', rate: 0.1, price: '300' }];
  order['tax_lines'] = [{ title: '消費税', rate: 0.1, price: '468' }];
  order['shipping_lines'] = [{ title: 'ヤマト運輸', price: '700', tax_lines: [{ title: '消費税', rate: 0.1, price: '70' }] }];
  order['subtotal_price'] = '3980';
  order['total_tax'] = '468';
  order['total_price'] = '5148';
  order['total_discounts'] = '0';
  order['discount_codes'] = [];
  order['shipping_address'] = {
    name: '山田 太郎',
    address1: '千代田区丸の内1-1-1',
    address2: '',
    city: '東京都',
    province: 'Tokyo',
    province_code: 'JP-13',
    zip: '100-0005',
    country_code: 'JP',
    phone: '03-1234-5678',
  };
  order['billing_address'] = null;
  return order;
}
