// Vite builds the admin UI into static files that `hcms serve` answers at /admin.
// No React plugin: esbuild compiles TSX itself (the plugin only adds Fast Refresh
// for the dev server), which keeps the toolchain to what installs with npm 10 too.
// HCMS_WEB_OUT_DIR (set by scripts/build-web.sh) puts the output in the build tree.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  base: '/admin/',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: process.env.HCMS_WEB_OUT_DIR || 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Everything is a file under /admin/assets: no data: URLs, so the
    // Content-Security-Policy needs no exception for them.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    chunkSizeWarningLimit: 700,
    rollupOptions: {
      onwarn(warning, warn) {
        // react-router marks its modules "use client" for server components; harmless here.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
      output: {
        manualChunks(id) {
          if (id.includes('node_modules/@tiptap') || id.includes('node_modules/prosemirror') ||
              id.includes('node_modules/orderedmap') || id.includes('node_modules/rope-sequence') ||
              id.includes('node_modules/w3c-keyname') || id.includes('node_modules/linkifyjs')) {
            return 'editor';
          }
          if (id.includes('node_modules/react') || id.includes('node_modules/scheduler')) {
            return 'react';
          }
          return undefined;
        },
      },
    },
  },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
  },
});
