import { categoryOf, streamName } from './stream-name';

describe('categoryOf', () => {
  it.each([
    ['order-123', 'order'],
    ['order-6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9', 'order'],
    ['supplierPo-a-b-c', 'supplierPo'],
    ['order', 'order'],
    ['order-', 'order'],
    ['-123', '-123'],
    ['', ''],
  ])('%p → %p', (name, category) => {
    expect(categoryOf(name)).toBe(category);
  });
});

describe('streamName', () => {
  it('joins category and id with a dash', () => {
    expect(streamName('order', '123')).toBe('order-123');
  });

  it('round-trips with categoryOf, even when the id contains dashes', () => {
    const id = '6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
    const name = streamName('shipment', id);
    expect(name).toBe(`shipment-${id}`);
    expect(categoryOf(name)).toBe('shipment');
    expect(name.slice(categoryOf(name).length + 1)).toBe(id);
  });

  it('rejects an empty category or one containing a dash', () => {
    expect(() => streamName('', '1')).toThrow(/Invalid stream category/);
    expect(() => streamName('supplier-po', '1')).toThrow(/Invalid stream category "supplier-po"/);
    expect(() => streamName('-', '1')).toThrow(/Invalid stream category/);
  });

  it('rejects an empty id', () => {
    expect(() => streamName('order', '')).toThrow(/Empty id for a order stream/);
  });
});
