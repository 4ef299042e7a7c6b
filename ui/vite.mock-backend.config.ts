import { defineConfig } from "vite";

// npm run build:mock-backend: the mock backend alone, as an IIFE that installs
// itself (src/lib/backend/mock-entry.ts). Used by tests/no-network.
export default defineConfig({
  build: {
    outDir: "dist-mock-backend",
    emptyOutDir: true,
    sourcemap: false,
    minify: false,
    lib: {
      entry: "src/lib/backend/mock-entry.ts",
      formats: ["iife"],
      name: "DermisMockBackend",
      fileName: () => "mock-backend.js",
    },
  },
});
