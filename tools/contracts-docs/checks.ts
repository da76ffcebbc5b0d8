import type { Type } from '@nestjs/common';
import type { BodyDoc, RouteDoc } from './http-routes';
import { PLATFORM_ROUTES, SERVICE_ROUTES } from './http-routes';
import { routeKey, type NestRoute } from './nest-routes';
import type { ServiceRoutes } from './openapi';

const difference = <T>(a: Iterable<T>, b: ReadonlySet<T>) => [...a].filter((x) => !b.has(x));

/** DTO classes the table says a route validates with `readBody` in its controller. */
function readBodyClasses(body: BodyDoc | undefined): string[] {
  if (!body) return [];
  if (body.kind === 'dto') return [body.dto.name];
  if (body.kind === 'variants' && body.validatedBy === 'readBody') return [...(body.base ? [body.base.name] : []), ...Object.values(body.variants).map((c) => c.name)];
  return [];
}

/** Classes a controller's source passes to `readBody(...)`, however the compiler wrote the import. */
export function readBodyCallsIn(controller: Type<unknown>): Set<string> {
  return new Set([...controller.toString().matchAll(/readBody\)?\(\s*(?:[\w$]+\.)?([A-Za-z_$][\w$]*)/g)].map(([, name]) => name!));
}

/**
 * Everything that is wrong between the route table and the routes the controllers serve: routes
 * served but not documented or documented but not served, bodies taken but not described (or
 * described but never read), `readBody` DTOs the table does not name (or names wrongly), and
 * status codes Nest answers that the table does not list. Empty when they agree.
 */
export function routeTableProblems(
  services: readonly ServiceRoutes[],
  platform: readonly NestRoute[],
  table: Readonly<Record<string, Readonly<Record<string, RouteDoc>>>> = SERVICE_ROUTES,
  platformTable: Readonly<Record<string, RouteDoc>> = PLATFORM_ROUTES,
): string[] {
  const problems: string[] = [];
  const check = (owner: string, routes: readonly NestRoute[], docs: Readonly<Record<string, RouteDoc>> | undefined) => {
    if (!docs) return problems.push(`${owner}: no route table`);
    const served = new Set(routes.map(routeKey));
    for (const key of difference(served, new Set(Object.keys(docs)))) problems.push(`${owner}: ${key} is served but not in the route table`);
    for (const key of difference(Object.keys(docs), served)) problems.push(`${owner}: ${key} is in the route table but no controller serves it`);
    for (const route of routes) {
      const doc = docs[routeKey(route)];
      if (!doc) continue;
      const where = `${owner}: ${routeKey(route)}`;
      if (route.takesBody && !doc.body) problems.push(`${where} takes @Body() but the table describes no request body`);
      if (doc.body && !route.takesBody && !route.takesRequest) problems.push(`${where} has a request body in the table but the handler reads none`);
      const status = route.httpCode ?? (route.method === 'post' ? 201 : 200);
      if (!doc.responses[status]) problems.push(`${where} answers ${status} by default, which the table does not list`);
    }
    const controllers = new Set(routes.map((r) => r.controller));
    for (const controller of controllers) {
      const called = readBodyCallsIn(controller);
      const named = new Set(routes.filter((r) => r.controller === controller).flatMap((r) => readBodyClasses(docs[routeKey(r)]?.body)));
      for (const name of difference(called, named)) problems.push(`${owner}: ${controller.name} validates a body with readBody(${name}) that no route of the table names`);
      for (const name of difference(named, called)) problems.push(`${owner}: the table names ${name} for ${controller.name}, which never calls readBody(${name})`);
    }
    return problems.length;
  };
  for (const service of services) check(service.name, service.routes, table[service.name]);
  for (const name of difference(Object.keys(table), new Set(services.map((s) => s.name as string)))) problems.push(`${name}: in the route table but not a service`);
  check('every service (libs/platform)', platform, platformTable);
  return problems;
}

/** The generated files that differ from what is committed, with the first line that differs. */
export function staleFiles(rendered: Readonly<Record<string, string>>, committed: (file: string) => string | undefined): string[] {
  return Object.entries(rendered).flatMap(([file, fresh]) => {
    const current = committed(file);
    if (current === fresh) return [];
    if (current === undefined) return [`${file} is missing`];
    const [a, b] = [current.split('\n'), fresh.split('\n')];
    const line = a.findIndex((l, i) => l !== b[i]);
    const at = line === -1 ? b.length : line;
    return [`${file} differs at line ${at + 1}: committed ${JSON.stringify(a[at] ?? '<end>')}, generated ${JSON.stringify(b[at] ?? '<end>')}`];
  });
}
