import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The staff console, served by the API at /console/ (apps/api/src/app.ts). The shared code is compiled
 * from its TypeScript sources (as the mini-program does), so the permission table is the API's own.
 */
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  resolve: { alias: { '@jobbridge/shared': path.join(here, '../../packages/shared/src/index.ts') } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Pages and the signed-in frame are their own chunks (React.lazy in App.tsx and main.tsx); the entry
    // carries React, the router, the session and the antd parts of the sign-in form (about 715 kB, 234 kB gzipped).
    chunkSizeWarningLimit: 900,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
