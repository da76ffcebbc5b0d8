# syntax=docker/dockerfile:1
# One image for the six services; the service is chosen when the container starts:
#   docker build -t dropship-oms .
#   docker run -e SERVICE=order-intake -e KAFKA_BROKERS=… -e DATABASE_URL=… dropship-oms
# or bake a default in with `--build-arg SERVICE=order-intake` (the environment still overrides it).
# Services run their TypeScript through SWC exactly as in development and CI (tools/register.js):
# no build step, so the image runs the sources CI tested, started the way `npm run service -- <name>`
# starts them.
ARG NODE_IMAGE=node:20-bookworm-slim

# The install CI runs: the whole lockfile, dev packages included.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json ./
COPY tools/register.js tools/
COPY tools/deploy-check/runtime-packages.ts tools/deploy-check/
# The only dev packages a service needs at run time: @swc-node/register and what it loads (SWC,
# TypeScript's tsconfig reader), copied out at the paths the lockfile gives them.
RUN node -r ./tools/register.js tools/deploy-check/runtime-packages.ts --into /opt/runtime-dev @swc-node/register

# Production dependencies only, from the same lockfile (so the same layout).
FROM ${NODE_IMAGE} AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE}
ARG SERVICE=""
ENV NODE_ENV=production SERVICE=${SERVICE}
WORKDIR /app
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=build /opt/runtime-dev/node_modules ./node_modules
COPY package.json tsconfig.base.json ./
COPY tools/register.js tools/run-service.js ./tools/
COPY libs ./libs
COPY apps ./apps
# Everything above belongs to root and is read-only for the service, which runs as `node` (uid 1000)
# and writes nothing to its filesystem (Kubernetes mounts it read-only).
USER 1000:1000
EXPOSE 3001 3002 3003 3004 3005 3006
# `/health/live` on HTTP_PORT, or on the service's default port when HTTP_PORT is not set.
HEALTHCHECK --interval=10s --timeout=5s --start-period=90s --retries=3 \
  CMD ["node", "-e", "const p=process.env.HTTP_PORT||{'order-intake':3001,sourcing:3002,'supplier-gateway':3003,'returns-router':3004,'supplier-performance':3005,'finance-reconciler':3006}[process.env.SERVICE];fetch('http://127.0.0.1:'+p+'/health/live',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The command `npm run service -- "$SERVICE"` runs; `exec` makes node PID 1, so SIGTERM reaches the
# service's own clean stop. Without SERVICE it prints the six names and exits 2.
CMD ["sh", "-c", "exec node tools/run-service.js \"$SERVICE\""]
