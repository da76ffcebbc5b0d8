import 'reflect-metadata';
import { ParseUUIDPipe, RequestMethod, type Type } from '@nestjs/common';
import { GUARDS_METADATA, HTTP_CODE_METADATA, METHOD_METADATA, MODULE_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';

/**
 * The HTTP routes Nest would serve, read from the decorators' metadata on the controller classes
 * the way Nest's router reads them: controller path + method path, the HTTP method, the declared
 * status code, guards, and what each handler takes from the request.
 */
export interface NestRoute {
  readonly controller: Type<unknown>;
  readonly handler: string;
  readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete' | 'head' | 'options' | 'all';
  /** Nest-style, e.g. `/orders/:id`. */
  readonly path: string;
  readonly pathParams: readonly { readonly name: string; readonly uuid: boolean }[];
  readonly query: readonly string[];
  readonly headers: readonly string[];
  /** The handler takes `@Body()`. */
  readonly takesBody: boolean;
  /** The handler takes the whole request (`@Req()`), e.g. to read the raw body. */
  readonly takesRequest: boolean;
  /** `@HttpCode(...)`, when declared. */
  readonly httpCode: number | undefined;
  /** Guards on the controller and on the handler. */
  readonly guards: readonly unknown[];
}

/** Every controller a module declares, through its static and dynamic imports. */
export function controllersOf(module: Type<unknown>, seen = new Set<unknown>()): Type<unknown>[] {
  if (seen.has(module)) return [];
  seen.add(module);
  const own = (Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, module) as Type<unknown>[] | undefined) ?? [];
  const imports = (Reflect.getMetadata(MODULE_METADATA.IMPORTS, module) as unknown[] | undefined) ?? [];
  const nested = imports.flatMap((imported) => {
    if (typeof imported === 'function') return controllersOf(imported as Type<unknown>, seen);
    if (imported && typeof imported === 'object' && 'module' in imported) {
      const dynamic = imported as { module: Type<unknown>; controllers?: Type<unknown>[] };
      return [...(dynamic.controllers ?? []), ...controllersOf(dynamic.module, seen)];
    }
    return [];
  });
  return [...own, ...nested];
}

const join = (...parts: string[]) => `/${parts.flatMap((p) => p.split('/')).filter(Boolean).join('/')}`;

export function routesOf(controller: Type<unknown>): NestRoute[] {
  const base = Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined;
  const bases = Array.isArray(base) ? base : [base ?? ''];
  const prototype = controller.prototype as Record<string, unknown>;
  const classGuards = (Reflect.getMetadata(GUARDS_METADATA, controller) as unknown[] | undefined) ?? [];
  return Object.getOwnPropertyNames(prototype).flatMap((handler) => {
    const fn = prototype[handler];
    if (handler === 'constructor' || typeof fn !== 'function') return [];
    const methodCode = Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod | undefined;
    const own = Reflect.getMetadata(PATH_METADATA, fn) as string | string[] | undefined;
    if (methodCode === undefined || own === undefined) return [];
    const method = RequestMethod[methodCode].toLowerCase() as NestRoute['method'];
    // In the handler's parameter order, as a reader of its signature expects them.
    const args = Object.entries((Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler) as Record<string, { index: number; data?: unknown; pipes?: unknown[] }> | undefined) ?? {}).sort(
      ([, a], [, b]) => a.index - b.index,
    );
    const named = (type: RouteParamtypes) =>
      args.filter(([key]) => Number(key.split(':')[0]) === type).map(([, arg]) => ({ name: typeof arg.data === 'string' ? arg.data : '', pipes: arg.pipes ?? [] }));
    const guards = [...classGuards, ...((Reflect.getMetadata(GUARDS_METADATA, fn) as unknown[] | undefined) ?? [])];
    const httpCode = Reflect.getMetadata(HTTP_CODE_METADATA, fn) as number | undefined;
    return bases.flatMap((b) =>
      (Array.isArray(own) ? own : [own]).map((p): NestRoute => {
        const path = join(b, p);
        const declared = named(RouteParamtypes.PARAM);
        const pathParams = [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map(([, name]) => ({
          name: name!,
          uuid: declared.some((d) => d.name === name && d.pipes.some((pipe) => pipe instanceof ParseUUIDPipe || pipe === ParseUUIDPipe)),
        }));
        return {
          controller,
          handler,
          method,
          path,
          pathParams,
          query: named(RouteParamtypes.QUERY).map((q) => q.name).filter(Boolean),
          headers: named(RouteParamtypes.HEADERS).map((h) => h.name).filter(Boolean),
          takesBody: named(RouteParamtypes.BODY).length > 0,
          takesRequest: named(RouteParamtypes.REQUEST).length > 0,
          httpCode,
          guards,
        };
      }),
    );
  });
}

export const routeKey = (route: { readonly method: string; readonly path: string }) => `${route.method.toUpperCase()} ${route.path}`;
