import { expectationOf, failsBeforeCredentials, materialise, type BadRequest, type Doors } from './bad-requests';
import { routeName } from './http-routes';

export interface HttpOutcome {
  readonly request: BadRequest;
  /** Undefined: no answer (refused connection, reset, or no answer within the time limit). */
  readonly status: number | undefined;
  readonly body: string;
  /** Why the answer is not what a bad request must get; undefined when it is. */
  readonly problem: string | undefined;
}

/** A request that gets no answer within this is a hang. */
export const ANSWER_WITHIN_MS = 30_000;

/** Sends every request, `concurrency` at a time, and judges each answer. */
export async function sendAll(requests: readonly BadRequest[], doors: Doors, concurrency: number): Promise<HttpOutcome[]> {
  const outcomes: HttpOutcome[] = new Array(requests.length);
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const i = next++;
      outcomes[i] = await send(requests[i]!, doors);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return outcomes;
}

async function send(request: BadRequest, doors: Doors): Promise<HttpOutcome> {
  const { url, init } = materialise(request, doors);
  try {
    const response = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(ANSWER_WITHIN_MS) });
    const body = Buffer.from(await response.arrayBuffer()).toString('utf8');
    return { request, status: response.status, body, problem: judge(request, response.status, body) };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { request, status: undefined, body: '', problem: `no answer: ${(error as Error).name} ${cause?.code ?? ''} ${cause?.message ?? (error as Error).message}`.trim() };
  }
}

/** A 4xx that says what is wrong: a JSON body with a message (or the failing fields). */
export function clearError(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; errors?: unknown };
    const message = parsed.message;
    return (typeof message === 'string' && message.trim() !== '') || (Array.isArray(message) && message.length > 0) || (Array.isArray(parsed.errors) && parsed.errors.length > 0);
  } catch {
    return false;
  }
}

export function judge(request: BadRequest, status: number, body: string): string | undefined {
  if (status >= 500) return `${status} ${body.slice(0, 300)}`;
  const expectation = expectationOf(request);
  const refusedClearly = status >= 400 && status < 500 ? (clearError(body) ? undefined : `${status} without a clear message: ${body.slice(0, 200)}`) : undefined;
  switch (expectation) {
    case 'answered':
      return status >= 400 ? refusedClearly : undefined;
    case 'unauthorised':
      if (status === 401 || status === 403) return refusedClearly;
      if ((status === 400 || status === 413 || status === 415) && failsBeforeCredentials(request)) return refusedClearly;
      return `${status} to ${request.credentials} credentials (401 or 403 expected): ${body.slice(0, 200)}`;
    case 'recorded rejection': {
      if (status >= 400 && status < 500) return refusedClearly;
      let parsed: { status?: unknown; errors?: unknown } = {};
      try {
        parsed = JSON.parse(body) as typeof parsed;
      } catch {
        // judged below
      }
      return status === 200 && parsed.status === 'rejected' && Array.isArray(parsed.errors) && parsed.errors.length > 0 ? undefined : `${status} for a signed order it cannot take (200 with the rejection expected): ${body.slice(0, 200)}`;
    }
    case 'refused':
      return status >= 400 && status < 500 ? refusedClearly : `${status} to bad input (4xx expected): ${body.slice(0, 200)}`;
    default: {
      const never: never = expectation;
      return never;
    }
  }
}

/** Per route: how many requests, answered with which status class. */
export function byRoute(outcomes: readonly HttpOutcome[]): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  for (const o of outcomes) {
    const key = `${o.request.route.service} ${routeName(o.request.route)}`;
    const row = out.get(key) ?? {};
    const cls = o.status === undefined ? 'none' : `${Math.floor(o.status / 100)}xx`;
    row[cls] = (row[cls] ?? 0) + 1;
    out.set(key, row);
  }
  return out;
}
