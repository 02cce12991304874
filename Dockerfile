# The cicada image for distributed runs (`cicada k8s` pods, or `docker run IMAGE worker --bus ...`).
#   docker build -t registry.example.com/cicada:0.1.0 .
#   docker run --rm registry.example.com/cicada:0.1.0 worker --bus nats://host:4222
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The build runs below, once the sources are in (npm's `prepare` would run it too early).
RUN npm ci --ignore-scripts
COPY tsconfig.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY scenarios ./scenarios
RUN chmod +x dist/cli/main.js && ln -s /app/dist/cli/main.js /usr/local/bin/cicada
USER node
ENTRYPOINT ["cicada"]
CMD ["--help"]
