import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { SERVICES, type ServiceName } from '../../e2e/scenarios/system';
import { ALL_SERVICES } from '../../tools/embedded/services';
import { branches, type JsonSchema, type Schemas } from './schema-mutants';

/** Who may call a route, as `docs/api/openapi.yaml` says. */
export type Auth = 'none' | 'gatewayAdmin' | 'finance' | 'performanceAdmin' | 'privacyAdmin' | 'supplierKey' | 'webhookSignature' | 'shopifyHmac';

export interface Route {
  readonly service: ServiceName;
  readonly method: string;
  /** The OpenAPI template, e.g. `/orders/{id}`. */
  readonly path: string;
  readonly pathParams: readonly { readonly name: string; readonly format: string | undefined }[];
  readonly queryParams: readonly string[];
  readonly body: { readonly contentTypes: readonly string[]; readonly schema: JsonSchema } | undefined;
  /** Whether every body the route takes has a required property (else `{}` is a good body). */
  readonly bodyRequiresSomething: boolean;
  readonly auth: Auth;
  /** Largest JSON body the service's parser takes, in bytes. */
  readonly bodyLimit: number;
}

export const routeName = (r: Pick<Route, 'method' | 'path'>): string => `${r.method} ${r.path}`;

/**
 * Routes that answer 2xx to anything a fuzzer sends once the caller is authorised — they read no
 * input it could spoil, or their contract says any value is fine — with the reason. Every other
 * route must answer bad input with a 4xx.
 */
export const ANSWERS_ANY_INPUT: Readonly<Record<string, string>> = {
  'GET /health': 'takes no input',
  'GET /health/live': 'takes no input',
  'GET /health/ready': 'takes no input',
  'GET /metrics': 'takes no input',
  'GET /scorecards': 'takes no input: the list of scorecards',
  'POST /admin/rebuild': 'takes no input (the token only)',
  'GET /supplier-api/purchase-orders': 'a status filter no PO has matches none (200 with an empty list, as documented)',
  'GET /supplier-accounts/{supplierId}': 'every supplier id has an account, empty until something is posted (documented 200 or 401)',
};

const SCHEMES: Readonly<Record<string, Auth>> = {
  gatewayAdminToken: 'gatewayAdmin',
  financeToken: 'finance',
  performanceAdminToken: 'performanceAdmin',
  privacyAdminToken: 'privacyAdmin',
  supplierApiKey: 'supplierKey',
  supplierApiKeyHeader: 'supplierKey',
  supplierWebhookSignature: 'webhookSignature',
  shopifyHmac: 'shopifyHmac',
};

/** A service's JSON body limit in bytes (its descriptor's `http.bodyLimit`, else the platform's 1mb). */
function bodyLimitOf(service: ServiceName): number {
  const limit = ALL_SERVICES.find((d) => d.name === service)?.http?.bodyLimit ?? '1mb';
  const match = /^(\d+)(kb|mb)$/.exec(limit);
  if (!match) throw new Error(`Cannot read body limit ${limit} of ${service}`);
  return Number(match[1]) * (match[2] === 'kb' ? 1024 : 1024 * 1024);
}

interface Operation {
  readonly tags?: readonly string[];
  readonly security?: readonly Record<string, unknown>[];
  readonly parameters?: readonly { name: string; in: string; schema?: { format?: string } }[];
  readonly requestBody?: { content: Record<string, { schema: JsonSchema }> };
  readonly responses?: unknown;
}

export interface Api {
  readonly routes: readonly Route[];
  readonly schemas: Schemas;
}

/** Every operation of every service in `docs/api/openapi.yaml`; the platform's routes once per service. */
export function loadApi(file = join(__dirname, '../../docs/api/openapi.yaml')): Api {
  const doc = parse(readFileSync(file, 'utf8')) as { paths: Record<string, Record<string, Operation>>; components: { schemas: Schemas } };
  const routes: Route[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      if (!op || typeof op !== 'object' || !op.responses) continue;
      const tag = op.tags?.[0];
      const services: readonly ServiceName[] = tag === 'platform' ? SERVICES : SERVICES.filter((s) => s === tag);
      if (services.length === 0) throw new Error(`${method} ${path}: no service for tag ${tag}`);
      const schemes = (op.security ?? []).flatMap((s) => Object.keys(s));
      const auth = schemes.length === 0 ? 'none' : SCHEMES[schemes[0]!];
      if (!auth) throw new Error(`${method} ${path}: unknown security scheme ${schemes[0]}`);
      const params = op.parameters ?? [];
      const content = op.requestBody?.content;
      for (const service of services) {
        routes.push({
          service,
          method: method.toUpperCase(),
          path,
          pathParams: params.filter((p) => p.in === 'path').map((p) => ({ name: p.name, format: p.schema?.format })),
          queryParams: params.filter((p) => p.in === 'query').map((p) => p.name),
          body: content ? { contentTypes: Object.keys(content), schema: Object.values(content)[0]!.schema } : undefined,
          bodyRequiresSomething: content ? branches(Object.values(content)[0]!.schema, doc.components.schemas).every((b) => b.type !== 'object' || (b.required ?? []).length > 0) : false,
          auth,
          bodyLimit: bodyLimitOf(service),
        });
      }
    }
  }
  return { routes, schemas: doc.components.schemas };
}
