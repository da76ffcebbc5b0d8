import {
  COMMERCE_ORDER_PLACED,
  type AddressV1,
  type CustomerV1,
  type DiscountV1,
  type FieldError,
  type OrderLineV1,
  type OrderPlacedV1,
  type PlatformTotalsV1,
  type ShippingChargeV1,
  type TaxLineV1,
} from '@oms/contracts';
import { allocateByWeights, isCurrencyCode, MoneyError, parseDecimalToMinor } from '@oms/money';

/**
 * Shopify's native `orders/create` webhook body (the REST order object, not wrapped in
 * `{"order": …}`) → the canonical `OrderPlacedV1`, as a plain object.
 *
 * Pure: no clock, no I/O. Tolerant where Shopify's format varies (numeric or string ids, the GraphQL
 * id as a fallback, missing optional parts, `*_set.shop_money` instead of plain amounts), strict on
 * money: every amount used is a decimal string in the shop currency read with `parseDecimalToMinor`,
 * and any that does not read is an error naming its Shopify path (`line_items[1].price`). All
 * errors are collected, not just the first.
 *
 * The mapper checks what only it can (Shopify structure, ids, money, dates); the result still goes
 * through `validatePayload(OrderPlacedV1, …)` like every other order, which reports the contract's
 * rules (an empty address line, a bad country code, a duplicate line id) under canonical paths.
 *
 * Decisions worth knowing:
 * - Amounts are the shop-currency ones (`currency`): plain `price`-style strings, else
 *   `<field>_set.shop_money.amount`; `presentment_money` is never used.
 * - Shopify has already spread order-level discounts over the lines (`discount_allocations`), so
 *   `orderDiscounts` is always empty; a line without allocations but with `total_discount` > 0 gets
 *   that as one discount.
 * - Taxes are taken from line and shipping `tax_lines`. When the order has order-level `tax_lines`
 *   but no line has any (older and some app-created orders, like the REST fixture), each order-level
 *   tax line is spread over the lines by their net amount (unit price × quantity − discounts) with
 *   `allocateByWeights` (largest remainder), so no tax is lost and the parts add up exactly. Shopify's
 *   order-level lines aggregate lines and shipping, so any shipping tax line with the same title and
 *   rate is taken off first, never double-counted. Shipping never receives allocated tax.
 * - Lines with quantity 0 (removed) are left out; an order left with no line is an error.
 * - `platformTotals` carries Shopify's own totals, informative only: the domain records where they
 *   differ from the computed ones (the fixture's subtotal and total do). `totalCharged` is never set.
 * - A numeric id beyond 2^53 (Shopify's sample webhooks have them) has lost digits in JSON parsing,
 *   so the `admin_graphql_api_id` (`gid://shopify/Order/<id>`) is used instead, or it is an error.
 * - `placedAt` is `processed_at`, else `created_at`, which must carry a UTC offset (a zone-less time
 *   would depend on the server's time zone) and be a real calendar date.
 * - An incomplete `billing_address` (wallet payments often give only country and zip) is left out
 *   rather than rejecting the order: we need where to ship, not where to bill.
 * - Informative text is cut to the contract's length (line name 300, shipping method 200, discount
 *   code 100 / description 200, tax name 100); addresses are never cut.
 */
export type ShopifyOrderMapping = { readonly ok: true; readonly order: OrderPlacedV1 } | { readonly ok: false; readonly errors: FieldError[] };

type Json = Record<string, unknown>;

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;
const RATE = /^\d{1,3}(\.\d{1,8})?$/;
const DIGITS = /^\d+$/;

export function mapShopifyOrder(body: unknown, shopDomain: string | undefined): ShopifyOrderMapping {
  if (!isObject(body)) return { ok: false, errors: [{ field: '$', message: 'must be a JSON object (the Shopify order)' }] };
  if (isObject(body['order']) && body['line_items'] === undefined && body['id'] === undefined) {
    return { ok: false, errors: [{ field: '$', message: 'is a REST response wrapped in {"order": …}; a webhook body is the order itself' }] };
  }
  return new ShopifyOrderMapper(body).map(shopDomain);
}

interface MappedLine {
  readonly line: { lineId: string; sku: string; name?: string; quantity: number; unitPrice: number; discounts: DiscountV1[]; taxes: TaxLineV1[] };
  readonly hasTaxLines: boolean;
}

class ShopifyOrderMapper {
  private readonly errors: FieldError[] = [];
  private readonly currency: string | undefined;
  private readonly applications: readonly unknown[];

  constructor(private readonly order: Json) {
    const currency = order['currency'];
    if (isCurrencyCode(currency)) {
      this.currency = currency;
    } else {
      this.currency = undefined; // amounts are then not read: one error, not one per amount
      this.error('currency', currency === undefined || currency === null ? 'is required' : 'must be an ISO 4217 currency code');
    }
    const applications = order['discount_applications'];
    this.applications = Array.isArray(applications) ? applications : [];
  }

  map(shopDomain: string | undefined): ShopifyOrderMapping {
    const o = this.order;
    const domain = typeof shopDomain === 'string' ? shopDomain.trim().toLowerCase() : '';
    const channel = domain === '' ? 'shopify' : `shopify:${domain}`;
    const externalOrderId = this.id(o, '', 'Order');
    const number = o['order_number'];
    const orderNumber = text(o['name']) ?? (typeof number === 'number' ? `#${number}` : text(number) !== undefined ? `#${text(number)}` : undefined);
    const placedAt = this.placedAt();
    const customer = this.customer();
    const shipTo = this.shipTo();
    const billTo = isObject(o['billing_address']) ? completeAddress(address(o['billing_address'])) : undefined;
    const lines = this.lines();
    const shipping = this.shipping();
    const orderTaxes = this.orderTaxLines(lines, shipping.taxes);
    const taxesIncluded = this.taxesIncluded();
    const platformTotals = this.platformTotals();

    if (this.errors.length > 0) return { ok: false, errors: this.errors };
    this.allocateOrderTaxes(lines, orderTaxes);
    if (this.errors.length > 0) return { ok: false, errors: this.errors };

    const order: OrderPlacedV1 = compact({
      type: COMMERCE_ORDER_PLACED,
      channel,
      externalOrderId: externalOrderId!,
      orderNumber,
      placedAt: placedAt!,
      currency: this.currency!,
      customer,
      shipTo: shipTo!,
      billTo,
      lines: lines.map(({ line }) => compact(line) as OrderLineV1),
      orderDiscounts: [],
      shipping,
      taxesIncluded,
      platformTotals,
    });
    return { ok: true, order };
  }

  // ---- identity and dates ----

  /** `String(id)` for a safe integer or digit string, else the numeric tail of `admin_graphql_api_id`. */
  private id(source: Json, path: string, kind: string): string | undefined {
    const id = source['id'];
    if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) return String(id);
    if (typeof id === 'string' && DIGITS.test(id.trim())) return id.trim();
    const gid = source['admin_graphql_api_id'];
    const match = typeof gid === 'string' ? new RegExp(`^gid://shopify/${kind}/(\\d+)$`).exec(gid.trim()) : null;
    if (match) return match[1]!;
    if (id === undefined || id === null) {
      this.error(join(path, 'id'), 'is required');
    } else if (typeof id === 'number' && Number.isInteger(id) && id > 0) {
      this.error(join(path, 'id'), `${id} is beyond the exact integer range of JSON numbers and there is no admin_graphql_api_id to read it from`);
    } else {
      this.error(join(path, 'id'), `must be the numeric Shopify ${kind.toLowerCase()} id`);
    }
    return undefined;
  }

  private placedAt(): string | undefined {
    const processed = this.order['processed_at'];
    const field = processed !== undefined && processed !== null && processed !== '' ? 'processed_at' : 'created_at';
    const value = this.order[field];
    if (value === undefined || value === null || value === '') {
      this.error('created_at', 'is required');
      return undefined;
    }
    const match = typeof value === 'string' ? ISO_DATE_TIME.exec(value.trim()) : null;
    if (!match) {
      this.error(field, 'must be an ISO-8601 date-time with a UTC offset, e.g. "2024-03-15T14:30:00-04:00"');
      return undefined;
    }
    const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
    const calendar = new Date(Date.UTC(year, month - 1, day));
    const date = new Date((value as string).trim());
    const real = calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === day && hour <= 23 && minute <= 59 && second <= 59;
    if (!real || Number.isNaN(date.getTime())) {
      this.error(field, 'is not a valid date-time');
      return undefined;
    }
    return date.toISOString();
  }

  // ---- parties ----

  private customer(): CustomerV1 {
    const o = this.order;
    const c = isObject(o['customer']) ? o['customer'] : {};
    const id = c['id'];
    const customerId =
      (typeof id === 'number' && Number.isSafeInteger(id)) || (typeof id === 'string' && id.trim() !== '')
        ? String(id).trim()
        : /^gid:\/\/shopify\/Customer\/(\d+)$/.exec(text(c['admin_graphql_api_id']) ?? '')?.[1];
    return compact({
      id: customerId,
      email: text(c['email']) ?? text(o['email']) ?? text(o['contact_email']),
      firstName: text(c['first_name']),
      lastName: text(c['last_name']),
      phone: text(c['phone']) ?? text(o['phone']),
    });
  }

  private shipTo(): AddressV1 | undefined {
    const a = this.order['shipping_address'];
    if (a === undefined || a === null) {
      this.error('shipping_address', 'is required: only orders with physical goods to ship are accepted');
      return undefined;
    }
    if (!isObject(a)) {
      this.error('shipping_address', 'must be an object');
      return undefined;
    }
    return address(a);
  }

  // ---- lines ----

  private lines(): MappedLine[] {
    const items = this.order['line_items'];
    if (!Array.isArray(items)) {
      this.error('line_items', items === undefined || items === null ? 'is required' : 'must be an array');
      return [];
    }
    const mapped: MappedLine[] = [];
    let skipped = 0;
    let broken = 0;
    items.forEach((item, i) => {
      const path = `line_items[${i}]`;
      if (!isObject(item)) {
        this.error(path, 'must be an object');
        broken += 1;
        return;
      }
      const quantity = this.quantity(item['quantity'], `${path}.quantity`);
      if (quantity === 0) {
        skipped += 1; // removed from the order: nothing to ship, nothing charged
        return;
      }
      const lineId = this.id(item, path, 'LineItem');
      const sku = this.sku(item, path);
      const unitPrice = this.amount(item, 'price', path, true);
      const discounts = this.lineDiscounts(item, path);
      const taxes = this.taxLines(item['tax_lines'], path);
      const title = text(item['title']);
      const variantTitle = text(item['variant_title']);
      const name = title !== undefined ? (variantTitle !== undefined ? `${title} - ${variantTitle}` : title) : text(item['name']);
      if (lineId === undefined || sku === undefined || quantity === undefined || unitPrice === undefined) {
        broken += 1;
        return;
      }
      mapped.push({
        line: { lineId, sku, name: cut(name, 300), quantity, unitPrice, discounts, taxes },
        hasTaxLines: Array.isArray(item['tax_lines']) && item['tax_lines'].length > 0,
      });
    });
    if (mapped.length === 0 && broken === 0) {
      this.error('line_items', skipped > 0 ? 'has no line with a quantity above 0' : 'must contain at least one line');
    }
    return mapped;
  }

  private quantity(value: unknown, field: string): number | undefined {
    const n = typeof value === 'string' && DIGITS.test(value.trim()) ? Number(value.trim()) : value;
    if (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0) return n;
    this.error(field, value === undefined || value === null ? 'is required' : 'must be a whole number of units');
    return undefined;
  }

  /** `sku`, else `variant:<variant_id>`, else `product:<product_id>`: something a supplier catalogue can key on. */
  private sku(item: Json, path: string): string | undefined {
    const sku = text(item['sku']);
    if (sku !== undefined) return sku;
    for (const [key, prefix] of [['variant_id', 'variant'], ['product_id', 'product']] as const) {
      const id = item[key];
      if (id === undefined || id === null || id === '') continue;
      if ((typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) || (typeof id === 'string' && DIGITS.test(id.trim()))) {
        return `${prefix}:${String(id).trim()}`;
      }
      this.error(join(path, key), 'must be a numeric id within the exact integer range of JSON numbers');
      return undefined;
    }
    this.error(join(path, 'sku'), 'is empty and the line has neither a variant_id nor a product_id to identify it');
    return undefined;
  }

  private lineDiscounts(item: Json, path: string): DiscountV1[] {
    const allocations = item['discount_allocations'];
    if (Array.isArray(allocations) && allocations.length > 0) return this.discountAllocations(allocations, path);
    if (allocations !== undefined && allocations !== null && !Array.isArray(allocations)) {
      this.error(join(path, 'discount_allocations'), 'must be an array');
      return [];
    }
    const total = this.amount(item, 'total_discount', path, false);
    return total !== undefined && total > 0 ? [{ amount: total }] : [];
  }

  // ---- shipping ----

  private shipping(): ShippingChargeV1 & { discounts: DiscountV1[]; taxes: TaxLineV1[] } {
    const list = this.order['shipping_lines'];
    if (list !== undefined && list !== null && !Array.isArray(list)) this.error('shipping_lines', 'must be an array');
    const shippingLines = Array.isArray(list) ? list : [];
    let amount = 0;
    const methods: string[] = [];
    const discounts: DiscountV1[] = [];
    const taxes: TaxLineV1[] = [];
    shippingLines.forEach((line, j) => {
      const path = `shipping_lines[${j}]`;
      if (!isObject(line)) {
        this.error(path, 'must be an object');
        return;
      }
      amount += this.amount(line, 'price', path, true) ?? 0;
      const method = text(line['title']) ?? text(line['code']);
      if (method !== undefined) methods.push(method);
      const allocations = line['discount_allocations'];
      if (Array.isArray(allocations)) discounts.push(...this.discountAllocations(allocations, path));
      else if (allocations !== undefined && allocations !== null) this.error(join(path, 'discount_allocations'), 'must be an array');
      taxes.push(...this.taxLines(line['tax_lines'], path));
    });
    return compact({ method: cut(methods.join(' + '), 200) || undefined, amount, discounts, taxes });
  }

  // ---- discounts and taxes ----

  private discountAllocations(allocations: readonly unknown[], path: string): DiscountV1[] {
    const discounts: DiscountV1[] = [];
    allocations.forEach((allocation, k) => {
      const at = `${join(path, 'discount_allocations')}[${k}]`;
      if (!isObject(allocation)) {
        this.error(at, 'must be an object');
        return;
      }
      const amount = this.amount(allocation, 'amount', at, true);
      if (amount === undefined) return;
      const index = allocation['discount_application_index'];
      const application = typeof index === 'number' && Number.isInteger(index) ? this.applications[index] : undefined;
      const app: Json = isObject(application) ? application : {};
      discounts.push(compact({ code: cut(text(app['code']), 100), description: cut(text(app['title']) ?? text(app['description']), 200), amount }));
    });
    return discounts;
  }

  private taxLines(list: unknown, path: string): TaxLineV1[] {
    if (list === undefined || list === null) return [];
    if (!Array.isArray(list)) {
      this.error(join(path, 'tax_lines'), 'must be an array');
      return [];
    }
    const taxes: TaxLineV1[] = [];
    list.forEach((tax, k) => {
      const at = `${join(path, 'tax_lines')}[${k}]`;
      if (!isObject(tax)) {
        this.error(at, 'must be an object');
        return;
      }
      const amount = this.amount(tax, 'price', at, true);
      if (amount === undefined) return;
      taxes.push(compact({ name: cut(text(tax['title']), 100) ?? 'Tax', rate: formatRate(tax['rate']), amount }));
    });
    return taxes;
  }

  /**
   * The order-level tax lines to spread over the lines, or none: only when no line has tax lines of
   * its own. Each is reduced by the shipping tax lines of the same title and rate it aggregates.
   */
  private orderTaxLines(lines: readonly MappedLine[], shippingTaxes: readonly TaxLineV1[]): TaxLineV1[] {
    if (lines.some((l) => l.hasTaxLines)) return [];
    const orderTaxes = this.taxLines(this.order['tax_lines'], '');
    const remainingShipping = shippingTaxes.map((t) => ({ ...t }));
    return orderTaxes
      .map((tax) => {
        let amount = tax.amount;
        for (const s of remainingShipping) {
          if (s.name !== tax.name || s.rate !== tax.rate || s.amount === 0 || amount === 0) continue;
          const taken = Math.min(s.amount, amount);
          amount -= taken;
          s.amount -= taken;
        }
        return { ...tax, amount };
      })
      .filter((tax) => tax.amount > 0);
  }

  private allocateOrderTaxes(lines: readonly MappedLine[], orderTaxes: readonly TaxLineV1[]): void {
    if (orderTaxes.length === 0 || lines.length === 0) return;
    const net = lines.map(({ line }) => Math.max(0, line.unitPrice * line.quantity - line.discounts.reduce((n, d) => n + d.amount, 0)));
    const weights = net.some((n) => n > 0) ? net : lines.map(({ line }) => line.quantity);
    orderTaxes.forEach((tax, k) => {
      let shares: number[];
      try {
        shares = allocateByWeights(tax.amount, weights);
      } catch (error) {
        if (!(error instanceof MoneyError)) throw error;
        this.error(`tax_lines[${k}]`, `cannot be spread over the lines: ${error.message}`);
        return;
      }
      shares.forEach((share, i) => {
        if (share > 0) lines[i]!.line.taxes.push(compact({ name: tax.name, rate: tax.rate, amount: share }));
      });
    });
  }

  // ---- order flags and totals ----

  private taxesIncluded(): boolean | undefined {
    const value = this.order['taxes_included'];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'boolean') return value;
    this.error('taxes_included', 'must be true or false');
    return undefined;
  }

  private platformTotals(): PlatformTotalsV1 | undefined {
    const o = this.order;
    const totals = {
      subtotal: this.amount(o, 'subtotal_price', '', false),
      discount: this.amount(o, 'total_discounts', '', false),
      shipping: this.amount(o, 'total_shipping_price', '', false, { setOnly: true }),
      tax: this.amount(o, 'total_tax', '', false),
      total: this.amount(o, 'total_price', '', false),
    };
    return totals.total === undefined ? undefined : compact({ ...totals, total: totals.total });
  }

  // ---- money ----

  /**
   * Minor units of `source[key]` (a decimal string), else of `source[key + '_set'].shop_money.amount`.
   * Undefined, with the error recorded, when absent (if required) or unreadable; undefined without
   * an error when the order currency itself is unusable (already reported).
   */
  private amount(source: Json, key: string, path: string, required: boolean, options: { setOnly?: boolean } = {}): number | undefined {
    let value: unknown = options.setOnly ? undefined : source[key];
    let field = join(path, key);
    if (value === undefined || value === null) {
      const set = source[`${key}_set`];
      const shop = isObject(set) && isObject(set['shop_money']) ? set['shop_money'] : undefined;
      if (shop === undefined || shop['amount'] === undefined || shop['amount'] === null) {
        if (required) this.error(field, 'is required');
        return undefined;
      }
      field = join(path, `${key}_set.shop_money.amount`);
      value = shop['amount'];
      const code = shop['currency_code'];
      if (this.currency !== undefined && code !== undefined && code !== null && code !== this.currency) {
        this.error(join(path, `${key}_set.shop_money.currency_code`), `is ${JSON.stringify(code)} but the order currency is ${this.currency}`);
        return undefined;
      }
    }
    if (this.currency === undefined) return undefined;
    if (typeof value !== 'string') {
      this.error(field, 'must be a decimal amount as a string, e.g. "19.99"');
      return undefined;
    }
    try {
      return parseDecimalToMinor(value, this.currency);
    } catch (error) {
      if (!(error instanceof MoneyError)) throw error;
      this.error(field, error.message);
      return undefined;
    }
  }

  private error(field: string, message: string): void {
    this.errors.push({ field, message });
  }
}

// ---- helpers ----

function address(a: Json): AddressV1 {
  const name = text(a['name']) ?? [text(a['first_name']), text(a['last_name'])].filter((part) => part !== undefined).join(' ');
  return compact({
    name,
    company: text(a['company']),
    line1: text(a['address1']) ?? '',
    line2: text(a['address2']),
    city: text(a['city']) ?? '',
    region: text(a['province_code']) ?? text(a['province']),
    postalCode: text(a['zip']),
    country: text(a['country_code'])?.toUpperCase() ?? '',
    phone: text(a['phone']),
  });
}

/** The address if it has everything an address needs, else undefined (for the optional `billTo`). */
function completeAddress(a: AddressV1): AddressV1 | undefined {
  return a.name !== '' && a.line1 !== '' && a.city !== '' && a.country !== '' ? a : undefined;
}

/**
 * Shopify's tax rate (a JSON number such as 0.06, or a string) as the decimal text the contract
 * wants, without float artefacts: 0.06 → "0.06", 0.07250000000000001 → "0.0725", 1e-7 → "0.0000001".
 * Rounded to the contract's 8 decimals; undefined when there is none or it is out of range (the rate
 * is informative, the amount is what counts).
 */
export function formatRate(rate: unknown): string | undefined {
  let textRate: string | undefined;
  if (typeof rate === 'number' && Number.isFinite(rate) && rate >= 0) {
    textRate = rate.toFixed(8).replace(/0+$/, '').replace(/\.$/, '');
  } else if (typeof rate === 'string') {
    textRate = rate.trim();
  }
  return textRate !== undefined && RATE.test(textRate) ? textRate : undefined;
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A trimmed non-empty string, else undefined (null, "", numbers). */
function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function cut(value: string | undefined, max: number): string | undefined {
  return value === undefined ? undefined : value.length > max ? value.slice(0, max) : value;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** A copy of `value` without its undefined properties: the payload stays a clean plain object. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
