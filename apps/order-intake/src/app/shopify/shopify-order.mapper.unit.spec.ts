import { OrderPlacedV1, validatePayload, type FieldError } from '@oms/contracts';
import { formatRate, mapShopifyOrder, type ShopifyOrderMapping } from './shopify-order.mapper';
import { jpyOrder, shopifyFixtureOrder, webhookOrder, type ShopifyJson } from './testing/shopify-fixtures';

const SHOP = 'My-Shop.myshopify.com';

function mapped(body: unknown, shop: { domain: string | undefined } = { domain: SHOP }): OrderPlacedV1 {
  const result = mapShopifyOrder(body, shop.domain);
  if (!result.ok) throw new Error(`expected a mapped order, got errors: ${JSON.stringify(result.errors, null, 2)}`);
  const validated = validatePayload(OrderPlacedV1, result.order);
  if (!validated.ok) throw new Error(`mapped order fails the contract: ${JSON.stringify(validated.errors, null, 2)}`);
  return result.order;
}

function errorsOf(result: ShopifyOrderMapping): FieldError[] {
  if (result.ok) throw new Error(`expected errors, got an order: ${JSON.stringify(result.order)}`);
  return result.errors;
}

const fields = (result: ShopifyOrderMapping) => errorsOf(result).map((e) => e.field);

describe('mapShopifyOrder: the shared REST fixture', () => {
  it('maps every field exactly and passes the OrderPlacedV1 contract', () => {
    const bob = { name: 'Bob Norman', line1: 'Chestnut Street 92', city: 'Louisville', region: 'KY', postalCode: '40202', country: 'US', phone: '555-625-1199' };
    const stateTax = { name: 'State Tax', rate: '0.06', amount: 398 };
    const line = (lineId: string, colour: string) => ({
      lineId,
      sku: `IPOD2008${colour.toUpperCase()}`,
      name: `IPod Nano - 8gb - ${colour}`,
      quantity: 1,
      unitPrice: 19900,
      discounts: [],
      taxes: [stateTax],
    });

    expect(mapped(shopifyFixtureOrder())).toStrictEqual({
      type: 'OrderPlaced',
      channel: 'shopify:my-shop.myshopify.com',
      externalOrderId: '450789469',
      orderNumber: '#1001',
      placedAt: '2008-01-10T16:00:00.000Z',
      currency: 'USD',
      customer: { id: '207119551', email: 'bob.norman@hostmail.com', firstName: 'Bob', lastName: 'Norman' },
      shipTo: bob,
      billTo: bob,
      lines: [line('466157049', 'green'), line('518995019', 'red'), line('703073504', 'black')],
      orderDiscounts: [],
      shipping: { method: 'Free Shipping', amount: 0, discounts: [], taxes: [] },
      taxesIncluded: false,
      platformTotals: { subtotal: 39800, discount: 0, tax: 1194, total: 40994 },
    });
  });

  it('spreads the order-level 11.94 tax over the three lines exactly, losing nothing', () => {
    const order = mapped(shopifyFixtureOrder());
    const shares = order.lines.map((l) => (l.taxes ?? []).reduce((n, t) => n + t.amount, 0));
    expect(shares).toEqual([398, 398, 398]);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(1194);
    expect(order.shipping?.taxes).toEqual([]);
  });

  it('keeps the fixture quirks as Shopify reports them, never as totalCharged', () => {
    const order = mapped(shopifyFixtureOrder());
    // 3 × 199.00 is 597.00 but subtotal_price says 398.00; TENOFF is not allocated: the domain records the discrepancies.
    expect(order.platformTotals?.subtotal).toBe(39800);
    expect(order.lines.every((l) => l.discounts?.length === 0)).toBe(true);
    expect(order.orderDiscounts).toEqual([]);
    expect(order).not.toHaveProperty('totalCharged');
  });

  it('uses "shopify" as the channel without a shop domain', () => {
    expect(mapped(shopifyFixtureOrder(), { domain: undefined }).channel).toBe('shopify');
    expect(mapped(shopifyFixtureOrder(), { domain: '  ' }).channel).toBe('shopify');
  });

  it('says so when given the REST response still wrapped in {"order": …}', () => {
    expect(errorsOf(mapShopifyOrder({ order: shopifyFixtureOrder() }, SHOP))).toEqual([
      { field: '$', message: 'is a REST response wrapped in {"order": …}; a webhook body is the order itself' },
    ]);
  });
});

describe('mapShopifyOrder: a modern orders/create webhook', () => {
  const order = () => mapped(webhookOrder());

  it('maps it exactly and passes the contract', () => {
    const stateTax = (amount: number) => ({ name: 'CA State Tax', rate: '0.0725', amount });
    expect(order()).toStrictEqual({
      type: 'OrderPlaced',
      channel: 'shopify:my-shop.myshopify.com',
      externalOrderId: '5800000000001',
      orderNumber: '#2042',
      placedAt: '2024-03-15T21:30:05.000Z',
      currency: 'USD',
      customer: { id: '7000000001', email: 'jane.doe@example.com', firstName: 'Jane', lastName: 'Doe', phone: '+14155550100' },
      shipTo: {
        name: 'Jane Doe',
        company: 'Acme Studio',
        line1: '1 Market St',
        line2: 'Suite 500',
        city: 'San Francisco',
        region: 'CA',
        postalCode: '94105',
        country: 'US',
      },
      lines: [
        {
          lineId: '13000000001',
          sku: 'TEE-BLK-M',
          name: 'T-Shirt - Black / M',
          quantity: 2,
          unitPrice: 2500,
          discounts: [{ code: 'SUMMER10', amount: 500 }],
          taxes: [stateTax(326)],
        },
        { lineId: '13000000002', sku: 'variant:4400000002', name: 'Mug', quantity: 1, unitPrice: 1250, discounts: [{ code: 'SUMMER10', amount: 125 }], taxes: [stateTax(82)] },
      ],
      orderDiscounts: [],
      shipping: {
        method: 'Standard + Signature on delivery',
        amount: 1050,
        discounts: [{ description: 'Free standard shipping', amount: 800 }],
        taxes: [stateTax(18)],
      },
      taxesIncluded: false,
      platformTotals: { subtotal: 5625, discount: 1425, shipping: 1050, tax: 426, total: 6301 },
    });
  });

  it('takes discount codes and titles from discount_applications by index', () => {
    const body = webhookOrder();
    body['discount_applications'][0] = { type: 'manual', title: 'Goodwill', description: 'Sorry for the delay' };
    body['line_items'][1].discount_allocations[0].discount_application_index = 7; // no such application
    const lines = mapped(body).lines;
    expect(lines[0]!.discounts).toEqual([{ description: 'Goodwill', amount: 500 }]);
    expect(lines[1]!.discounts).toEqual([{ amount: 125 }]);
  });

  it('does not spread order-level tax when the lines carry their own', () => {
    const taxes = order().lines.map((l) => l.taxes);
    expect(taxes).toEqual([[{ name: 'CA State Tax', rate: '0.0725', amount: 326 }], [{ name: 'CA State Tax', rate: '0.0725', amount: 82 }]]);
  });

  it('uses shop-currency amounts, never presentment ones, and falls back to *_set.shop_money', () => {
    const body = webhookOrder();
    delete body['line_items'][0].price;
    delete body['line_items'][0].discount_allocations[0].amount;
    delete body['total_price'];
    const result = mapped(body);
    expect(result.lines[0]).toMatchObject({ unitPrice: 2500, discounts: [{ code: 'SUMMER10', amount: 500 }] });
    expect(result.platformTotals?.total).toBe(6301);
  });

  it('rejects a *_set amount in another currency than the order', () => {
    const body = webhookOrder();
    delete body['line_items'][0].price;
    body['line_items'][0].price_set.shop_money.currency_code = 'EUR';
    expect(errorsOf(mapShopifyOrder(body, SHOP))).toEqual([
      { field: 'line_items[0].price_set.shop_money.currency_code', message: 'is "EUR" but the order currency is USD' },
    ]);
  });

  it('falls back to the order email when the customer has none, and to the customer gid', () => {
    const body = webhookOrder();
    body['customer'].id = 820982911946154500; // beyond 2^53 in JSON: digits lost
    body['customer'].admin_graphql_api_id = 'gid://shopify/Customer/820982911946154508';
    expect(mapped(body).customer).toEqual({
      id: '820982911946154508',
      email: 'jane.doe@example.com',
      firstName: 'Jane',
      lastName: 'Doe',
      phone: '+14155550100',
    });
  });

  it('leaves out a billing address reduced to country and zip, keeps a complete one', () => {
    expect(order()).not.toHaveProperty('billTo');
    const body = webhookOrder();
    body['billing_address'] = { first_name: 'Jo', last_name: 'Bloggs', address1: '2 Main St', address2: '', city: 'Oakland', province_code: 'CA', zip: '94601', country_code: 'us' };
    expect(mapped(body).billTo).toEqual({ name: 'Jo Bloggs', line1: '2 Main St', city: 'Oakland', region: 'CA', postalCode: '94601', country: 'US' });
  });

  it('passes taxes_included through', () => {
    const body = webhookOrder();
    body['taxes_included'] = true;
    expect(mapped(body).taxesIncluded).toBe(true);
    body['taxes_included'] = 'yes';
    expect(errorsOf(mapShopifyOrder(body, SHOP))).toEqual([{ field: 'taxes_included', message: 'must be true or false' }]);
  });
});

describe('mapShopifyOrder: variants', () => {
  it('reads a JPY order in whole yen', () => {
    const order = mapped(jpyOrder());
    expect(order.currency).toBe('JPY');
    expect(order.lines.map((l) => [l.unitPrice, l.quantity, l.taxes])).toEqual([
      [1500, 2, [{ name: '消費税', rate: '0.1', amount: 300 }]],
      [980, 1, [{ name: '消費税', rate: '0.1', amount: 98 }]],
    ]);
    expect(order.shipping).toEqual({ method: 'ヤマト運輸', amount: 700, discounts: [], taxes: [{ name: '消費税', rate: '0.1', amount: 70 }] });
    expect(order.platformTotals).toEqual({ subtotal: 3980, discount: 0, tax: 468, total: 5148 });
    expect(order.shipTo).toEqual({
      name: '山田 太郎',
      line1: '千代田区丸の内1-1-1',
      city: '東京都',
      region: 'JP-13',
      postalCode: '100-0005',
      country: 'JP',
      phone: '03-1234-5678',
    });
    expect(order).not.toHaveProperty('billTo');
  });

  it('rejects fractional yen, naming the Shopify path', () => {
    const body = jpyOrder();
    body['line_items'][1].price = '980.5';
    expect(errorsOf(mapShopifyOrder(body, SHOP))).toEqual([
      { field: 'line_items[1].price', message: '"980.5" has more precision than JPY allows (0 fractional digits)' },
    ]);
  });

  it('rejects a USD price with three decimals, naming line_items[0].price', () => {
    const body = shopifyFixtureOrder();
    body['line_items'][0].price = '12.345';
    expect(errorsOf(mapShopifyOrder(body, SHOP))).toEqual([
      { field: 'line_items[0].price', message: '"12.345" has more precision than USD allows (2 fractional digits)' },
    ]);
  });

  it('collects every error, not just the first', () => {
    const body = webhookOrder();
    body['line_items'][0].price = 25; // a number, not a decimal string
    body['line_items'][1].tax_lines[0].price = '0.8.2';
    body['line_items'][1].discount_allocations[0].amount = '-1.25';
    body['shipping_lines'][1].price = '2,50';
    body['total_price'] = '';
    body['processed_at'] = 'yesterday';
    delete body['shipping_address'];
    expect(fields(mapShopifyOrder(body, SHOP))).toEqual([
      'processed_at',
      'shipping_address',
      'line_items[0].price',
      'line_items[1].discount_allocations[0].amount',
      'line_items[1].tax_lines[0].price',
      'shipping_lines[1].price',
      'total_price',
    ]);
    expect(errorsOf(mapShopifyOrder(body, SHOP))[2]).toEqual({ field: 'line_items[0].price', message: 'must be a decimal amount as a string, e.g. "19.99"' });
  });

  it('reports an unusable currency once, not once per amount', () => {
    const body = shopifyFixtureOrder();
    body['currency'] = 'usd';
    expect(errorsOf(mapShopifyOrder(body, SHOP))).toEqual([{ field: 'currency', message: 'must be an ISO 4217 currency code' }]);
    delete body['currency'];
    expect(errorsOf(mapShopifyOrder(body, SHOP))).toEqual([{ field: 'currency', message: 'is required' }]);
  });

  it('falls back to variant:<variant_id>, then product:<product_id>, when the sku is empty', () => {
    const body = shopifyFixtureOrder();
    body['line_items'][0].sku = '';
    body['line_items'][1].sku = null;
    body['line_items'][1].variant_id = null;
    delete body['line_items'][2].sku;
    expect(mapped(body).lines.map((l) => l.sku)).toEqual(['variant:39072856', 'product:632910392', 'variant:457924702']);
  });

  it('rejects a line with no sku, variant or product', () => {
    const body = shopifyFixtureOrder();
    Object.assign(body['line_items'][1], { sku: '  ', variant_id: null, product_id: null });
    expect(errorsOf(mapShopifyOrder(body, SHOP))).toEqual([
      { field: 'line_items[1].sku', message: 'is empty and the line has neither a variant_id nor a product_id to identify it' },
    ]);
  });

  it('rejects an order with no shipping address: we only drop-ship physical goods', () => {
    const body = shopifyFixtureOrder();
    body['shipping_address'] = null;
    expect(errorsOf(mapShopifyOrder(body, SHOP))).toEqual([
      { field: 'shipping_address', message: 'is required: only orders with physical goods to ship are accepted' },
    ]);
  });

  it('leaves incomplete shipping address fields to the contract, which names them', () => {
    const body = shopifyFixtureOrder();
    body['shipping_address'].address1 = '';
    body['shipping_address'].country_code = null;
    const result = mapShopifyOrder(body, SHOP);
    if (!result.ok) throw new Error('the mapper itself accepts it');
    const validated = validatePayload(OrderPlacedV1, result.order);
    expect(validated.ok ? [] : validated.errors.map((e) => e.field)).toEqual(expect.arrayContaining(['shipTo.line1', 'shipTo.country']));
  });

  it('accepts string ids, and the GraphQL id when the number has lost digits', () => {
    const body = shopifyFixtureOrder();
    body['id'] = '450789469';
    body['line_items'][0].id = '466157049';
    expect(mapped(body).externalOrderId).toBe('450789469');
    expect(mapped(body).lines[0]!.lineId).toBe('466157049');

    body['id'] = 820982911946154500;
    body['admin_graphql_api_id'] = 'gid://shopify/Order/820982911946154508';
    delete body['line_items'][0].id;
    body['line_items'][0].admin_graphql_api_id = 'gid://shopify/LineItem/466157049';
    expect(mapped(body).externalOrderId).toBe('820982911946154508');
    expect(mapped(body).lines[0]!.lineId).toBe('466157049');

    delete body['admin_graphql_api_id'];
    expect(errorsOf(mapShopifyOrder(body, SHOP))).toEqual([
      { field: 'id', message: '820982911946154500 is beyond the exact integer range of JSON numbers and there is no admin_graphql_api_id to read it from' },
    ]);
  });

  it('rejects a missing or non-numeric order id', () => {
    const body = shopifyFixtureOrder();
    body['id'] = 'abc';
    expect(errorsOf(mapShopifyOrder(body, SHOP))).toEqual([{ field: 'id', message: 'must be the numeric Shopify order id' }]);
    delete body['id'];
    expect(errorsOf(mapShopifyOrder(body, SHOP))).toEqual([{ field: 'id', message: 'is required' }]);
  });

  it('uses #order_number when there is no name', () => {
    const body = shopifyFixtureOrder();
    delete body['name'];
    expect(mapped(body).orderNumber).toBe('#1001');
    delete body['order_number'];
    expect(mapped(body)).not.toHaveProperty('orderNumber');
  });

  it('adds the shipping lines up, and charges nothing without them', () => {
    const body = shopifyFixtureOrder();
    body['shipping_lines'] = [
      { title: 'UPS Ground', price: '9.99', tax_lines: [] },
      { code: 'INSURANCE', price: '1.01', discount_allocations: [{ amount: '0.50' }] },
    ];
    expect(mapped(body).shipping).toEqual({ method: 'UPS Ground + INSURANCE', amount: 1100, discounts: [{ amount: 50 }], taxes: [] });
    delete body['shipping_lines'];
    expect(mapped(body).shipping).toEqual({ amount: 0, discounts: [], taxes: [] });
  });

  it('skips lines with quantity 0, and rejects an order left with none', () => {
    const body = shopifyFixtureOrder();
    body['line_items'][1].quantity = 0;
    body['line_items'][1].price = 'not looked at';
    const order = mapped(body);
    expect(order.lines.map((l) => l.lineId)).toEqual(['466157049', '703073504']);
    // The order-level tax goes to the remaining lines only.
    expect(order.lines.map((l) => l.taxes)).toEqual([
      [{ name: 'State Tax', rate: '0.06', amount: 597 }],
      [{ name: 'State Tax', rate: '0.06', amount: 597 }],
    ]);

    for (const item of body['line_items']) item.quantity = 0;
    expect(errorsOf(mapShopifyOrder(body, SHOP))).toEqual([{ field: 'line_items', message: 'has no line with a quantity above 0' }]);
    body['line_items'] = [];
    expect(errorsOf(mapShopifyOrder(body, SHOP))).toEqual([{ field: 'line_items', message: 'must contain at least one line' }]);
  });

  it('rejects a negative or fractional quantity', () => {
    const body = shopifyFixtureOrder();
    body['line_items'][0].quantity = -1;
    body['line_items'][2].quantity = 1.5;
    expect(errorsOf(mapShopifyOrder(body, SHOP))).toEqual([
      { field: 'line_items[0].quantity', message: 'must be a whole number of units' },
      { field: 'line_items[2].quantity', message: 'must be a whole number of units' },
    ]);
  });

  it('uses total_discount as one discount when a line has no allocations', () => {
    const body = shopifyFixtureOrder();
    body['line_items'][0].total_discount = '10.00';
    body['line_items'][1].total_discount = '0.00';
    const order = mapped(body);
    expect(order.lines.map((l) => l.discounts)).toEqual([[{ amount: 1000 }], [], []]);
  });

  it('spreads order-level tax by net amount (after discounts) with the largest remainder', () => {
    const body = shopifyFixtureOrder();
    body['line_items'][0].price = '10.00'; // net 10.00
    body['line_items'][1].price = '20.00';
    body['line_items'][1].discount_allocations = [{ amount: '5.00' }]; // net 15.00
    body['line_items'][2].price = '25.00';
    body['line_items'][2].quantity = 2; // net 50.00
    body['tax_lines'] = [
      { title: 'State Tax', rate: 0.06, price: '4.51' },
      { title: 'County Tax', rate: 0.01, price: '0.76' },
    ];
    const taxes = mapped(body).lines.map((l) => l.taxes);
    // 451 × (10, 15, 50)/75 = 60.13, 90.2, 300.67 → 60, 90, 301; 76 → 10.13, 15.2, 50.67 → 10, 15, 51
    expect(taxes).toEqual([
      [{ name: 'State Tax', rate: '0.06', amount: 60 }, { name: 'County Tax', rate: '0.01', amount: 10 }],
      [{ name: 'State Tax', rate: '0.06', amount: 90 }, { name: 'County Tax', rate: '0.01', amount: 15 }],
      [{ name: 'State Tax', rate: '0.06', amount: 301 }, { name: 'County Tax', rate: '0.01', amount: 51 }],
    ]);
  });

  it('takes shipping tax out of the order-level tax before spreading it over the lines', () => {
    const body = shopifyFixtureOrder();
    body['shipping_lines'] = [{ title: 'Ground', price: '10.00', tax_lines: [{ title: 'State Tax', rate: 0.06, price: '0.60' }] }];
    body['tax_lines'] = [{ title: 'State Tax', rate: 0.06, price: '12.54' }]; // 11.94 on the lines + 0.60 on shipping
    const order = mapped(body);
    expect(order.lines.map((l) => l.taxes?.[0]?.amount)).toEqual([398, 398, 398]);
    expect(order.shipping?.taxes).toEqual([{ name: 'State Tax', rate: '0.06', amount: 60 }]);
  });

  it('spreads tax by quantity when every line is free', () => {
    const body = shopifyFixtureOrder();
    for (const item of body['line_items']) item.price = '0.00';
    body['line_items'][2].quantity = 2;
    expect(mapped(body).lines.map((l) => l.taxes?.[0]?.amount)).toEqual([299, 298, 597]);
  });

  it('converts placedAt to UTC and prefers processed_at over created_at', () => {
    const body = shopifyFixtureOrder();
    body['processed_at'] = '2024-12-31T23:30:00.5+05:30';
    expect(mapped(body).placedAt).toBe('2024-12-31T18:00:00.500Z');
    body['processed_at'] = '';
    expect(mapped(body).placedAt).toBe('2008-01-10T16:00:00.000Z');
  });

  it.each([
    ['2008-01-10T11:00:00', 'must be an ISO-8601 date-time with a UTC offset, e.g. "2024-03-15T14:30:00-04:00"'],
    ['2008-01-10', 'must be an ISO-8601 date-time with a UTC offset, e.g. "2024-03-15T14:30:00-04:00"'],
    [1199980800000, 'must be an ISO-8601 date-time with a UTC offset, e.g. "2024-03-15T14:30:00-04:00"'],
    ['2008-02-30T11:00:00-05:00', 'is not a valid date-time'],
    ['2008-01-10T24:00:00Z', 'is not a valid date-time'],
  ])('rejects created_at %j', (createdAt, message) => {
    const body = shopifyFixtureOrder();
    body['created_at'] = createdAt;
    expect(errorsOf(mapShopifyOrder(body, SHOP))).toEqual([{ field: 'created_at', message }]);
  });

  it('requires a date', () => {
    const body = shopifyFixtureOrder();
    delete body['created_at'];
    expect(errorsOf(mapShopifyOrder(body, SHOP))).toEqual([{ field: 'created_at', message: 'is required' }]);
  });

  it.each<[unknown]>([[null], ['{"id":1}'], [[shopifyFixtureOrder()]], [42]])('rejects a body that is not an object: %j', (body) => {
    expect(errorsOf(mapShopifyOrder(body, SHOP))).toEqual([{ field: '$', message: 'must be a JSON object (the Shopify order)' }]);
  });

  it('names non-object parts by their Shopify path', () => {
    const body: ShopifyJson = shopifyFixtureOrder();
    body['line_items'][1] = 'oops';
    body['shipping_lines'] = {};
    body['shipping_address'] = 'Chestnut Street 92';
    expect(errorsOf(mapShopifyOrder(body, SHOP))).toEqual([
      { field: 'shipping_address', message: 'must be an object' },
      { field: 'line_items[1]', message: 'must be an object' },
      { field: 'shipping_lines', message: 'must be an array' },
    ]);
  });

  it('is pure: the same input maps to the same output and is not modified', () => {
    const body = webhookOrder();
    const before = JSON.stringify(body);
    expect(mapShopifyOrder(body, SHOP)).toStrictEqual(mapShopifyOrder(body, SHOP));
    expect(JSON.stringify(body)).toBe(before);
  });
});

describe('formatRate', () => {
  it.each<[unknown, string | undefined]>([
    [0.06, '0.06'],
    [0.0725, '0.0725'],
    [0.07250000000000001, '0.0725'],
    [0.1 + 0.2, '0.3'],
    [1e-7, '0.0000001'],
    [0, '0'],
    [1, '1'],
    ['0.06', '0.06'],
    [' 0.0725 ', '0.0725'],
    [-0.06, undefined],
    [1000, undefined],
    [Number.NaN, undefined],
    ['6%', undefined],
    [null, undefined],
  ])('%j → %j', (rate, expected) => {
    expect(formatRate(rate)).toBe(expected);
  });
});
