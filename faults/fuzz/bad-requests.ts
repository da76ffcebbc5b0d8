import fc from 'fast-check';
import { createHmac, randomBytes } from 'node:crypto';
import { ANSWERS_ANY_INPUT, routeName, type Route } from './http-routes';
import { branches, mutant, toJsonText, type Schemas } from './schema-mutants';

export type Credentials = 'given' | 'none' | 'wrong' | 'malformed' | 'stale signature';

export type BodyKind =
  | 'schema mutant'
  | 'mutant with prototype keys'
  | 'random JSON'
  | 'wrong top-level type'
  | 'huge string'
  | 'over the body limit'
  | 'deep nesting'
  | 'not JSON'
  | 'invalid UTF-8'
  | 'wrong content type'
  | 'unknown charset'
  | 'bad content encoding'
  | 'empty body'
  | 'garbage text';

/** One bad request as fast-check draws it; signatures and tokens are filled in when it is sent. */
export interface BadRequest {
  readonly route: Route;
  readonly credentials: Credentials;
  readonly pathValues: readonly string[];
  readonly query: string;
  readonly body: { readonly kind: BodyKind; readonly bytes: Buffer; readonly contentType: string | undefined; readonly encoding?: string; readonly what?: string } | undefined;
  readonly headers: Readonly<Record<string, string>>;
  /** Which of the malformed credentials to send. */
  readonly variant: number;
  readonly note: string;
}

/** What a bad request must get back. */
export type Expectation =
  /** A 4xx with a clear message. */
  | 'refused'
  /** 401 or 403 (or a 4xx for a body no parser reads, which fails before the credentials are looked at). */
  | 'unauthorised'
  /** Anything but a 5xx: the route reads no input it could spoil (ANSWERS_ANY_INPUT). */
  | 'answered'
  /** Shopify's webhook: a signed order it cannot take is answered 200 with the rejection (or a 4xx). */
  | 'recorded rejection';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Path segments no route has a resource for (never a valid UUID); some are not even valid percent-encoding. */
const garbageId: fc.Arbitrary<string> = fc.oneof(
  fc.string({ minLength: 1, maxLength: 40 }).map(encodeURIComponent),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).map(encodeURIComponent),
  fc.constantFrom(
    'null',
    'undefined',
    '0',
    '-1',
    '1e400',
    'NaN',
    '%',
    '%zz',
    '%00',
    '%ff%fe',
    '%C0%AF',
    '%2e%2e%2f',
    encodeURIComponent("' OR '1'='1"),
    encodeURIComponent('<script>alert(1)</script>'),
    encodeURIComponent('💥'),
    'a'.repeat(3_000),
    '123e4567-e89b-12d3-a456-42661417400',
    '{123e4567-e89b-12d3-a456-426614174000}',
    '123e4567-e89b-12d3-a456-4266141740000',
    '123e4567e89b12d3a456426614174000',
    '__proto__',
    'constructor',
    'prototype',
  ),
)
  // Never a valid UUID; never a dot segment either (`/scorecards/.` is `/scorecards/` once the URL is parsed).
  .filter((s) => !UUID.test(s) && !UUID.test(safeDecode(s)) && !/^(\.|%2e){1,2}$/i.test(s));

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A query value that is no date (`new Date(v)` is invalid) and no id anything has. */
const badQueryValue: fc.Arbitrary<string> = fc
  .oneof(fc.string({ maxLength: 30 }), fc.constantFrom('yesterday', '2024-13-45', 'NaN', '-1', '1e400', '[]', '{}', '%', 'a'.repeat(2_000)))
  .filter((v) => Number.isNaN(new Date(v).getTime()));

const query = (names: readonly string[]): fc.Arbitrary<string> =>
  names.length === 0
    ? fc.oneof(fc.constant(''), fc.constantFrom('?__proto__[polluted]=1', '?a=%zz', '?x=' + 'y'.repeat(2_000), '?constructor[prototype][x]=1'))
    : fc
        .tuple(...names.map((n) => fc.tuple(fc.constant(n), badQueryValue, fc.constantFrom<'once' | 'twice' | 'bracket' | 'missing'>('once', 'once', 'twice', 'bracket', 'missing'))))
        .map((pairs) => {
          // The first parameter is always there: a request with none may be a good one.
          const parts = pairs.flatMap(([n, v, how], i) => {
            const e = encodeURIComponent(v);
            // (`a[]=` is no `a` to the services' query parser: bracketed, the first is also sent plain.)
            if (i === 0 && how === 'missing') how = 'once';
            if (i === 0 && how === 'bracket') return [`${n}=${e}`, `${n}[]=${e}`];
            if (how === 'missing') return [];
            if (how === 'twice') return [`${n}=${e}`, `${n}=${e}x`];
            if (how === 'bracket') return [`${n}[]=${e}`, `${n}[a]=1`];
            return [`${n}=${e}`];
          });
          return parts.length > 0 ? `?${parts.join('&')}` : '';
        });

const extraHeaders: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    traceparent: fc.constantFrom('garbage', '00-zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz-0000000000000000-01', '00-00000000000000000000000000000000-0000000000000000-00', 'ff-' + 'f'.repeat(200)),
    'idempotency-key': fc.oneof(fc.constantFrom('', ' ', '__proto__', 'k'.repeat(4_000)), fc.string({ unit: 'binary-ascii', maxLength: 60 }).map((s) => [...s].map((c) => (c < ' ' || c === '\x7f' ? ' ' : c)).join('').trim())),
    accept: fc.constantFrom('application/xml', '*/*;q=abc', 'garbage'),
    'x-forwarded-for': fc.constantFrom('not-an-ip', '999.999.999.999', ''),
  },
  { requiredKeys: [] },
);

const json = (value: unknown) => Buffer.from(toJsonText(value), 'utf8');

/** Bodies for a route that reads JSON: near-misses of its schema and every kind of garbage. */
function jsonBodies(route: Route, schemas: Schemas): fc.Arbitrary<NonNullable<BadRequest['body']>> {
  const schema = route.body?.schema;
  const jsonType = 'application/json';
  const of = (kind: BodyKind, bytes: fc.Arbitrary<Buffer>, contentType: string | undefined = jsonType) => bytes.map((b) => ({ kind, bytes: b, contentType }));
  const mutants = schema && branches(schema, schemas).some((b) => b.properties) ? mutant(schema, schemas) : undefined;
  return fc.oneof(
    ...(mutants
      ? [
          { weight: 8, arbitrary: mutants.map((m) => ({ kind: 'schema mutant' as const, bytes: json(m.value), contentType: jsonType, what: m.what })) },
          {
            weight: 1,
            arbitrary: mutants.map((m) => {
              const text = toJsonText(m.value);
              const polluted = text.startsWith('{') && text.length > 2 ? `{"__proto__":{"polluted":true,"status":"active"},"constructor":{"prototype":{"polluted":true}},${text.slice(1)}` : text;
              return { kind: 'mutant with prototype keys' as const, bytes: Buffer.from(polluted), contentType: jsonType };
            }),
          },
        ]
      : []),
    { weight: 3, arbitrary: of('random JSON', fc.jsonValue({ maxDepth: 3 }).map(json)) },
    { weight: 2, arbitrary: of('wrong top-level type', fc.constantFrom<unknown>([], [{}], 'a string', 42, true, null, -0.5).map(json)) },
    { weight: 1, arbitrary: of('huge string', fc.integer({ min: 10_000, max: Math.min(100_000, route.bodyLimit - 20_000) }).map((n) => json({ type: 'OrderPlaced', note: 'n'.repeat(n), name: 'x'.repeat(n / 10) }))) },
    { weight: 1, arbitrary: of('deep nesting', fc.integer({ min: 2_000, max: 10_000 }).map((n) => Buffer.from(`{"lines":${'['.repeat(n)}${']'.repeat(n)}}`))) },
    { weight: 2, arbitrary: of('not JSON', fc.constantFrom('{"a":', '{"amount": NaN}', "{'a': 1}", 'undefined', '{"a":1}{"b":2}', "\ufeff{'a': 1}", '[1,2,', '{"a":1,}').map((s) => Buffer.from(s))) },
    { weight: 1, arbitrary: of('invalid UTF-8', fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => Buffer.concat([Buffer.from('{"channel":"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from(b), Buffer.from('"}')]))) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/octet-stream', 'image/png', 'application/json-patch+json', ''))
        .map(([v, type]) => ({ kind: 'wrong content type' as const, bytes: type === 'application/x-www-form-urlencoded' ? Buffer.from('a=1&__proto__[polluted]=1&lines[0][quantity]=-1') : json(v), contentType: type || undefined })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom('application/json; charset=utf-16', 'application/json; charset=bogus', 'application/json; charset=latin1').map((contentType) => ({ kind: 'unknown charset' as const, bytes: json({ a: 1 }), contentType })),
    },
    { weight: 1, arbitrary: fc.constantFrom('gzip', 'deflate', 'br', 'bogus').map((encoding) => ({ kind: 'bad content encoding' as const, bytes: Buffer.from('{"not":"compressed"}'), contentType: jsonType, encoding })) },
    { weight: 1, arbitrary: of('empty body', fc.constant(Buffer.alloc(0))) },
  );
}

/** Bodies for the EDI route: text that is no X12 interchange, or a broken one. */
const ediBodies: fc.Arbitrary<NonNullable<BadRequest['body']>> = fc
  .tuple(
    fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.constantFrom('ISA*00*', 'ISA*00*          *00*          *ZZ*X*ZZ*Y*240101*1200*U*00401*1*0*P*>~GS*PR*X*Y*20240101*1200*1*X*004010~ST*855*0001~BAK*00*AD*~SE*3*0001~GE*1*1~IEA*1*1~', '~~~~', '*'.repeat(1_000), 'ISA' + '*'.repeat(105) + '~'),
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
    ),
    fc.constantFrom('application/edi-x12', 'text/plain', 'application/edi'),
  )
  .map(([text, type]) => ({ kind: 'garbage text' as const, bytes: Buffer.from(text, 'latin1'), contentType: type }));

/** Bad requests to one route. */
export function badRequests(route: Route, schemas: Schemas): fc.Arbitrary<BadRequest> {
  const secured = route.auth !== 'none';
  const credentials: fc.Arbitrary<Credentials> = secured
    ? fc.oneof({ weight: 17, arbitrary: fc.constant<Credentials>('given') }, { weight: 3, arbitrary: fc.constantFrom<Credentials>('none', 'wrong', 'malformed', ...(route.auth === 'webhookSignature' ? (['stale signature'] as const) : [])) })
    : fc.constant<Credentials>('given');
  const bodies = route.body
    ? route.body.contentTypes.includes('application/json')
      ? jsonBodies(route, schemas)
      : ediBodies
    : route.method === 'GET'
      ? fc.constant(undefined)
      : fc.option(jsonBodies(route, schemas), { nil: undefined });
  // The webhook's path names the supplier its signature must match: mostly the real one, so the body is read.
  const paths = fc.tuple(...route.pathParams.map(() => (route.auth === 'webhookSignature' ? fc.oneof({ weight: 4, arbitrary: fc.constant('<supplier>') }, { weight: 1, arbitrary: garbageId }) : garbageId)));
  return fc.tuple(credentials, paths, query(route.queryParams), bodies, extraHeaders, fc.nat(4)).map(([c, pathValues, q, body, headers, variant]) => ({
    route,
    credentials: c,
    pathValues,
    query: q,
    body,
    headers,
    variant,
    note: [body?.kind ?? 'no body', body?.what, c === 'given' ? undefined : `credentials: ${c}`].filter(Boolean).join('; '),
  }));
}

/** Bodies no parser reads fail before a guard looks at the credentials. */
const UNREADABLE: ReadonlySet<BodyKind> = new Set(['not JSON', 'invalid UTF-8', 'over the body limit', 'unknown charset', 'bad content encoding']);

/**
 * Bodies that are only bad for a schema with required properties: an object of unknown fields (or
 * none, when the content type is not JSON) is a valid body where nothing is required.
 */
const BAD_ONLY_WHERE_SOMETHING_IS_REQUIRED: ReadonlySet<BodyKind> = new Set(['random JSON', 'wrong content type', 'empty body', 'huge string', 'invalid UTF-8']);

export function expectationOf(request: BadRequest): Expectation {
  if (request.credentials !== 'given') return 'unauthorised';
  if (ANSWERS_ANY_INPUT[routeName(request.route)] !== undefined) return 'answered';
  if (request.body && !request.route.bodyRequiresSomething && BAD_ONLY_WHERE_SOMETHING_IS_REQUIRED.has(request.body.kind)) return 'answered';
  if (request.route.auth === 'shopifyHmac') return 'recorded rejection';
  return 'refused';
}

/**
 * Whether the request fails before any guard looks at its credentials: a path segment that is no
 * percent-encoding (routing decodes it), or a body no parser reads — not JSON, a bare JSON value
 * (the parser is strict), an unknown charset or encoding, over the limit.
 */
export function failsBeforeCredentials(request: BadRequest): boolean {
  if (request.pathValues.some((v) => !decodes(v))) return true;
  const body = request.body;
  if (body === undefined) return false;
  if (UNREADABLE.has(body.kind)) return true;
  if (!(body.contentType ?? '').startsWith('application/json') || body.bytes.length === 0) return false;
  try {
    const parsed: unknown = JSON.parse(body.bytes.toString('utf8'));
    return parsed === null || typeof parsed !== 'object';
  } catch {
    return true;
  }
}

function decodes(v: string): boolean {
  try {
    decodeURIComponent(v);
    return true;
  } catch {
    return false;
  }
}

/** What the run hands the requests: where each service is and the secrets a caller would hold. */
export interface Doors {
  url(service: Route['service']): string;
  readonly tokens: Readonly<Record<'gatewayAdmin' | 'finance' | 'performanceAdmin' | 'privacyAdmin', string>>;
  readonly supplier: { readonly apiKey: string };
  readonly webhookSupplier: { readonly supplierId: string; readonly secret: string };
  readonly shopifySecret: string;
}

/** The request as it goes on the wire. */
export function materialise(request: BadRequest, doors: Doors, now = Date.now()): { url: string; init: RequestInit } {
  const { route } = request;
  let k = 0;
  const path = route.path.replace(/\{[^}]+\}/g, () => {
    const v = request.pathValues[k++]!;
    return v === '<supplier>' ? doors.webhookSupplier.supplierId : v;
  });
  const headers: Record<string, string> = { ...request.headers };
  const body = request.body?.bytes;
  if (request.body?.contentType) headers['content-type'] = request.body.contentType;
  if (request.body?.encoding) headers['content-encoding'] = request.body.encoding;
  const wrong = randomBytes(16).toString('hex');
  const bearer = (token: string) => {
    if (request.credentials === 'given') headers['authorization'] = `Bearer ${token}`;
    else if (request.credentials === 'wrong') headers['authorization'] = `Bearer ${wrong}`;
    else if (request.credentials === 'malformed') headers['authorization'] = [`Bearer`, `Basic ${Buffer.from('admin:admin').toString('base64')}`, `Bearer ${token}x`, `Bearer: ${token.slice(1)}`, `Bearer ${'x'.repeat(3_000)}`][request.variant % 5]!;
  };
  switch (route.auth) {
    case 'none':
      break;
    case 'gatewayAdmin':
    case 'finance':
    case 'performanceAdmin':
    case 'privacyAdmin':
      bearer(doors.tokens[route.auth]);
      break;
    case 'supplierKey':
      if (request.credentials === 'malformed') headers['x-api-key'] = '';
      bearer(doors.supplier.apiKey);
      break;
    case 'webhookSignature': {
      const ts = Math.floor(now / 1000) - (request.credentials === 'stale signature' ? 86_400 : 0);
      const signature = createHmac('sha256', doors.webhookSupplier.secret).update(`${ts}.`).update(body ?? Buffer.alloc(0)).digest('hex');
      if (request.credentials === 'given' || request.credentials === 'stale signature') Object.assign(headers, { 'x-oms-timestamp': String(ts), 'x-oms-signature': `sha256=${signature}` });
      else if (request.credentials === 'wrong') Object.assign(headers, { 'x-oms-timestamp': String(ts), 'x-oms-signature': `sha256=${wrong}${wrong}` });
      else if (request.credentials === 'malformed') Object.assign(headers, { 'x-oms-timestamp': 'soon', 'x-oms-signature': 'not hex' });
      break;
    }
    case 'shopifyHmac': {
      const hmac = createHmac('sha256', doors.shopifySecret)
        .update(body ?? Buffer.alloc(0))
        .digest('base64');
      if (request.credentials === 'given') headers['x-shopify-hmac-sha256'] = hmac;
      else if (request.credentials === 'wrong') headers['x-shopify-hmac-sha256'] = randomBytes(32).toString('base64');
      else if (request.credentials === 'malformed') headers['x-shopify-hmac-sha256'] = 'not base64!';
      break;
    }
    default: {
      const never: never = route.auth;
      return never;
    }
  }
  return {
    url: `${doors.url(route.service)}${path}${request.query}`,
    init: { method: route.method, headers, ...(body !== undefined && route.method !== 'GET' ? { body } : {}) },
  };
}

/** A body over the route's limit (a few per service: each is megabytes). */
export function overLimit(route: Route): BadRequest {
  return {
    route,
    credentials: 'given',
    pathValues: route.pathParams.map(() => 'over-the-limit'),
    query: '',
    body: { kind: 'over the body limit', bytes: json({ note: 'x'.repeat(route.bodyLimit + 10_000) }), contentType: 'application/json' },
    headers: {},
    variant: 0,
    note: `over the body limit (${route.bodyLimit} bytes)`,
  };
}
