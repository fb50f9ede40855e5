# Production image of the API with the mini-program's H5 build and the staff console.
# Build: docker build -t jobbridge .   (docker-compose.yml does this)
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY packages/shared/package.json packages/shared/
COPY packages/matching/package.json packages/matching/
COPY apps/api/package.json apps/api/
COPY apps/miniapp/package.json apps/miniapp/
COPY apps/console/package.json apps/console/
RUN npm ci
COPY tsconfig.base.json ./
COPY packages/shared packages/shared
COPY packages/matching packages/matching
COPY apps/api apps/api
COPY apps/miniapp apps/miniapp
COPY apps/console apps/console
RUN npx tsc -b packages/shared packages/matching apps/api && npm run build:h5 -w @jobbridge/miniapp \
 && npm run build -w @jobbridge/console \
 && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 H5_DIR=/app/apps/miniapp/dist/h5 CONSOLE_DIR=/app/apps/console/dist
WORKDIR /app
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/package.json ./
COPY --from=build /app/packages/shared/package.json packages/shared/
COPY --from=build /app/packages/shared/dist packages/shared/dist
COPY --from=build /app/packages/matching/package.json packages/matching/
COPY --from=build /app/packages/matching/dist packages/matching/dist
COPY --from=build /app/apps/api/package.json apps/api/
COPY --from=build /app/apps/api/dist apps/api/dist
COPY --from=build /app/apps/miniapp/dist/h5 apps/miniapp/dist/h5
COPY --from=build /app/apps/console/dist apps/console/dist
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --retries=3 CMD node -e "fetch('http://127.0.0.1:3000/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--enable-source-maps", "apps/api/dist/server.js"]
