/**
 * The console's browser app: built by scripts/build.mjs into lib/console-app/ (served by
 * interpreter/server/console-app-files.ts). `npx vite console` serves it for development, with
 * /api and /auth proxied to a running `runbook console` (CONSOLE_URL, default http://127.0.0.1:4600).
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { lucideIconShards } from './lucide-icon-shards.ts';

const target = process.env.CONSOLE_URL ?? 'http://127.0.0.1:4600';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react(), lucideIconShards()],
  build: {
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    chunkSizeWarningLimit: 600,
    reportCompressedSize: false,
  },
  server: {
    proxy: { '/api': { target, changeOrigin: false }, '/auth': { target, changeOrigin: false } },
  },
});
