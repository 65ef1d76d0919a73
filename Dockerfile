# syntax=docker/dockerfile:1
# Build: compile TypeScript with the dev toolchain.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY stack ./stack
RUN npm run build

# Run: production dependencies and the compiled gateway only, as the unprivileged `node` user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
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
ENTRYPOINT ["node", "dist/src/main.js"]
CMD ["serve"]
