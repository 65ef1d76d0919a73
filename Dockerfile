# syntax=docker/dockerfile:1
# Build: compile TypeScript with the dev toolchain.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY stack ./stack
RUN npm run build

# Run: production dependencies and the compiled gateway only, as the unprivileged `node` user.
# The heap limit: under V8's default, sized from the host's memory (2 GiB or more on most
# servers), the heap may grow to 4× what is live before a full collection; under 512 MiB, to
# about 1.4×. On the bench that halves peak RSS under load for some more GC time (bench/README.md,
# no_heap_limit; on Node 24, 300 instead of 378 MB on the dashboard). Raise it with the container's memory for registries far larger than the
# bench's 3 × 200 models at 8 concurrent requests.
FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-old-space-size=512 \
    REGISTRY_GRAPH_CONFIG=/etc/registry-graph/config.yaml
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist/src ./dist/src
USER node
EXPOSE 4000
# Mount the config (secrets via ${VAR} from the environment):
#   docker run -v $PWD/config.yaml:/etc/registry-graph/config.yaml:ro -p 4000:4000 registry-graph
# The check assumes the config's default port, 4000.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:4000/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The initial heap: V8 starts the old generation small and, under the 512 MiB limit, grows it
# slowly, so the gateway ran a full mark-compact on almost every dashboard request (28 in 25).
# Starting at 128 MiB cut its CPU per dashboard request from 237 to 123 ms measured alone (the
# bench's no_initial_heap ablation shows the same; on Node 24, 32 instead of 43 ms), and that CPU is taken from the MLflow
# servers a request waits for (bench/README.md). NODE_OPTIONS does not accept this flag, so it is given to node here.
ENTRYPOINT ["node", "--initial-old-space-size=128", "dist/src/main.js"]
CMD ["serve"]
