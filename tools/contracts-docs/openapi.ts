import type { Type } from '@nestjs/common';
import { FinanceTokenGuard } from '../../apps/finance-reconciler/src/app/api/finance.controller';
import { PrivacyTokenGuard } from '../../apps/order-intake/src/app/api/privacy.controller';
import { AdminTokenGuard } from '../../apps/supplier-gateway/src/app/api/admin.controller';
import { SupplierApiKeyGuard } from '../../apps/supplier-gateway/src/app/api/supplier-auth';
import type { InboxOutcome } from '../../apps/supplier-gateway/src/app/application/supplier-inbox';
import { PerformanceAdminGuard } from '../../apps/supplier-performance/src/app/api/scorecards.controller';
import { closeOver, mergeSchemas } from './asyncapi';
import { classSchemas, ref, type Schema, type SchemaClass } from './class-schemas';
import { DESCRIBED_SHARED } from './described-payloads';
import { arrayOf, described, handDescribed, integer, looseObject, mapOf, object, oneOf, string } from './describe';
import { PLATFORM_ROUTES, SERVICE_ROUTES, type BodyDoc, type RouteDoc, type ServiceName } from './http-routes';
import { routeKey, type NestRoute } from './nest-routes';

/** A service's HTTP face: its name, default port, and the routes its controllers serve. */
export interface ServiceRoutes {
  readonly name: ServiceName;
  readonly port: number;
  readonly routes: readonly NestRoute[];
}

/** Guards → the security schemes they enforce. A guard not named here fails the generator. */
const GUARD_SECURITY = new Map<unknown, Record<string, string[]>[]>([
  [AdminTokenGuard, [{ gatewayAdminToken: [] }]],
  [SupplierApiKeyGuard, [{ supplierApiKey: [] }, { supplierApiKeyHeader: [] }]],
  [FinanceTokenGuard, [{ financeToken: [] }]],
  [PerformanceAdminGuard, [{ performanceAdminToken: [] }]],
  [PrivacyTokenGuard, [{ privacyAdminToken: [] }]],
]);

const SECURITY_SCHEMES = {
  gatewayAdminToken: { type: 'http', scheme: 'bearer', description: 'Supplier gateway admin token (`GATEWAY_ADMIN_TOKEN`). With none configured, every call is refused.' },
  supplierApiKey: { type: 'http', scheme: 'bearer', description: "The supplier's API key, issued once at registration or rotation. The key names the supplier; a suspended supplier may read, not write." },
  supplierApiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: "The supplier's API key, as an alternative to the bearer header." },
  financeToken: { type: 'http', scheme: 'bearer', description: 'Finance API token (`FINANCE_API_TOKEN`). With none configured, every call is refused.' },
  performanceAdminToken: { type: 'http', scheme: 'bearer', description: 'Supplier performance admin token (`PERFORMANCE_ADMIN_TOKEN`).' },
  privacyAdminToken: { type: 'http', scheme: 'bearer', description: 'Order intake privacy token (`PRIVACY_ADMIN_TOKEN`): erasure of customer personal data. With none configured, every call is refused.' },
  shopifyHmac: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Shopify-Hmac-Sha256',
    description: 'Base64 HMAC-SHA256 of the raw body with one of `SHOPIFY_WEBHOOK_SECRETS`, compared in constant time. Without secrets configured the webhook answers 401.',
  },
  supplierWebhookSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'x-oms-signature',
    description: "`sha256=<hex HMAC-SHA256(webhook secret, \"<x-oms-timestamp>.<raw body>\")>`, within `GATEWAY_WEBHOOK_TOLERANCE_SECONDS` (300) of now.",
  },
} as const;

/** Headers OpenAPI describes elsewhere (content negotiation, security). */
const IMPLICIT_HEADERS = new Set(['content-type', 'accept', 'authorization']);

const SHARED: Readonly<Record<string, Schema>> = {
  ...DESCRIBED_SHARED,
  ErrorResponse: handDescribed(
    object({ message: string() }, { errors: arrayOf(ref('FieldError'), 'every failing field'), reason: string(), statusCode: integer(), error: string() }, 'What every 4xx/5xx answer carries.'),
    'the bodies of the HttpExceptions the controllers throw',
  ),
  InboxOutcome: handDescribed(
    {
      oneOf: [
        described<Extract<InboxOutcome, { kind: 'applied' }>>()({ required: { kind: oneOf(['applied']), status: string('the PO status now'), events: arrayOf(string(), 'events recorded') }, optional: {} }),
        described<Extract<InboxOutcome, { kind: 'duplicate' }>>()({ required: { kind: oneOf(['duplicate']), status: string('the PO status now') }, optional: {} }),
      ],
    },
    'InboxOutcome (apps/supplier-gateway application/supplier-inbox.ts); `refused` is answered 409',
  ),
  HealthReport: handDescribed(
    object({ status: oneOf(['ok', 'error']) }, { info: looseObject('checks that are up'), error: looseObject('checks that are down'), details: looseObject('every check') }),
    '@nestjs/terminus health check results',
  ),
  SupplierAccount: handDescribed(
    object({ supplierId: string(), terms: { oneOf: [looseObject('chargeback terms'), { type: 'null' }] }, totals: mapOf(looseObject('sums posted per kind, and balanceDue'), 'per currency') }),
    'the finance controller answer',
  ),
};

const server = (service: ServiceRoutes) => ({
  url: 'http://{host}:{port}',
  description: service.name,
  variables: { host: { default: '127.0.0.1' }, port: { default: String(service.port), description: 'HTTP_PORT' } },
});

type Owner = ServiceRoutes | 'platform';
const ownerName = (owner: Owner) => (owner === 'platform' ? 'platform' : owner.name);

const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

function requestBody(body: BodyDoc): { schema: Record<string, unknown>; classes: SchemaClass[] } {
  switch (body.kind) {
    case 'dto': {
      const schema = body.also ? { allOf: [ref(body.dto.name), body.also] } : ref(body.dto.name);
      return { schema: { required: true, ...(body.description ? { description: body.description } : {}), content: { 'application/json': { schema } } }, classes: [body.dto] };
    }
    case 'variants': {
      const variants = Object.entries(body.variants).map(([value, cls]) =>
        body.base ? { allOf: [ref(body.base.name), { properties: { [body.discriminator]: { const: value } }, required: [body.discriminator] }, ref(cls.name)] } : ref(cls.name),
      );
      const classes = [...(body.base ? [body.base] : []), ...Object.values(body.variants)];
      return { schema: { required: true, description: body.description, content: { 'application/json': { schema: { oneOf: variants } } } }, classes };
    }
    case 'described':
      return {
        schema: { required: true, description: body.description, content: Object.fromEntries(body.contentTypes.map((type) => [type, { schema: { ...body.schema, 'x-schema-source': 'hand-described in tools/contracts-docs/http-routes.ts' } }])) },
        classes: [],
      };
    default: {
      const never: never = body;
      return never;
    }
  }
}

function operation(service: Owner, route: NestRoute, doc: RouteDoc): { operation: Record<string, unknown>; classes: SchemaClass[] } {
  const where = `${ownerName(service)} ${routeKey(route)}`;
  const describe = (name: string) => (doc.params?.[name] ? { description: doc.params[name] } : {});
  const parameters = [
    ...route.pathParams.map((p) => ({ name: p.name, in: 'path', required: true, ...describe(p.name), schema: p.uuid ? { type: 'string', format: 'uuid' } : { type: 'string' } })),
    ...route.query.map((name) => ({ name, in: 'query', required: doc.requiredQuery?.includes(name) ?? false, ...describe(name), schema: { type: 'string' } })),
    ...route.headers.filter((name) => !IMPLICIT_HEADERS.has(name)).map((name) => ({ name, in: 'header', required: false, ...describe(name), schema: { type: 'string' } })),
  ];
  const security = [
    ...route.guards.flatMap((guard) => {
      const schemes = GUARD_SECURITY.get(guard);
      if (!schemes) throw new Error(`${where}: guard ${(guard as Type<unknown>).name ?? String(guard)} has no security scheme in tools/contracts-docs/openapi.ts`);
      return schemes;
    }),
    ...(doc.security ? [{ [doc.security]: [] }] : []),
  ];
  const body = doc.body ? requestBody(doc.body) : undefined;
  const responses = Object.fromEntries(
    Object.entries(doc.responses).map(([status, response]) => [
      status,
      { description: response.description, ...(response.schema ? { content: { [response.contentType ?? 'application/json']: { schema: response.schema } } } : {}) },
    ]),
  );
  return {
    operation: {
      tags: [ownerName(service)],
      operationId: service === 'platform' ? `platform_${route.handler}` : `${camel(service.name)}_${camel(route.controller.name.replace(/Controller$/, '').replace(/^./, (c) => c.toLowerCase()))}_${route.handler}`,
      summary: doc.summary,
      ...(doc.description ? { description: doc.description } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(body ? { requestBody: body.schema } : {}),
      responses,
      ...(security.length > 0 ? { security } : {}),
    },
    classes: body?.classes ?? [],
  };
}

export function buildOpenApi(services: readonly ServiceRoutes[], platformRoutes: readonly NestRoute[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const classes: SchemaClass[] = [];
  const add = (owner: Owner, route: NestRoute, doc: RouteDoc | undefined, servers: readonly ServiceRoutes[]) => {
    if (!doc) throw new Error(`${ownerName(owner)} ${routeKey(route)} is served but not in tools/contracts-docs/http-routes.ts`);
    const path = toOpenApiPath(route.path);
    const item = (paths[path] ??= { servers: servers.map(server) });
    if (item[route.method]) throw new Error(`${routeKey(route)} is served by two services: one OpenAPI path cannot say which`);
    const built = operation(owner, route, doc);
    item[route.method] = built.operation;
    classes.push(...built.classes);
  };
  for (const service of services) for (const route of service.routes) add(service, route, SERVICE_ROUTES[service.name]?.[routeKey(route)], [service]);
  for (const route of platformRoutes) add('platform', route, PLATFORM_ROUTES[routeKey(route)], services);

  const schemas: Record<string, Schema> = {};
  mergeSchemas(schemas, classSchemas(classes));
  closeOver(schemas, SHARED, paths);

  return {
    openapi: '3.1.0',
    info: {
      title: 'Drop-ship OMS: HTTP APIs',
      version,
      description: [
        'Every HTTP API of the six services, one tag per service; each path names the server (service and default port) that answers it. Generated by `npm run docs:api` from the controllers\' Nest metadata (paths, methods, parameters, status codes, guards), the route table in `tools/contracts-docs/http-routes.ts` (summaries, request bodies, answers) and the class-validator DTOs; do not edit by hand.',
        'Bodies are JSON validated at the edge: unknown fields are tolerated, wrong types are not; a 400 names every failing field (`ErrorResponse.errors`). Money is integer minor units; time is ISO-8601 UTC.',
      ].join('\n\n'),
    },
    tags: [...services.map((s) => ({ name: s.name, description: `The ${s.name} service (default port ${s.port}).` })), { name: 'platform', description: 'Served by every service (libs/platform): health and metrics.' }],
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: { schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))), securitySchemes: SECURITY_SCHEMES },
  };
}
