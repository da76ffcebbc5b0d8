import { BadRequestException } from '@nestjs/common';
import { MAX_ID_LENGTH, ParseIdPipe } from './edge-validation';

describe('ParseIdPipe', () => {
  const pipe = new ParseIdPipe();
  const parse = (value: unknown) => pipe.transform(value, { type: 'param', data: 'supplierId' });

  it.each(['acme-01', 'SUP.7_b', '0b6a3c2e-9f1d-4c7e-8a55-3e2f1d0c9b8a', 'é😀', 'x'.repeat(MAX_ID_LENGTH)])('takes %s', (id) => {
    expect(parse(id)).toBe(id);
  });

  // Ids the fuzz test sent: the NUL one was a 500 (PostgreSQL refuses it in a stream name).
  it.each([['\u0000'], ['a\u0000b'], ['line\nbreak'], ['\u007f'], ['\ud800'], [''], ['x'.repeat(MAX_ID_LENGTH + 1)], [42]])('refuses %j with 400 naming the parameter', (id) => {
    expect(() => parse(id)).toThrow(BadRequestException);
    try {
      parse(id);
    } catch (error) {
      expect((error as BadRequestException).getResponse()).toMatchObject({ message: 'Invalid request', errors: [{ field: 'supplierId' }] });
    }
  });
});
