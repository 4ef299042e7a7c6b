/// <reference types="vitest/config" />
import { defineConfig, defaultClientConditions } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { svelteTesting } from "@testing-library/svelte/vite";
import { testHost } from "./test-host-plugin";

// `vite --mode mock` (npm run dev:mock / preview:mock) serves the UI in a plain
// browser against the test host (crates/dermis-testhost: the real backend on
// 127.0.0.1), forwarded at /__testhost; see test-host-plugin.ts.
export default defineConfig(({ mode }) => ({
  base: "./",
  plugins: [svelte(), svelteTesting(), ...(mode === "mock" ? [testHost()] : [])],
  clearScreen: false,
  envPrefix: ["VITE_", "TAURI_ENV_"],
  // Svelte 5's browser build (not its SSR build) must be used under Vitest + jsdom.
  resolve: mode === "test" ? { conditions: ["browser", ...defaultClientConditions] } : {},
  server: {
    port: 1420,
    strictPort: true,
  },
  preview: {
    port: 1421,
    strictPort: true,
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
    setupFiles: ["src/tests/setup.ts"],
    // The test host (the real backend over HTTP on 127.0.0.1), started once.
    globalSetup: ["src/tests/host.ts"],
    testTimeout: 40000,
    restoreMocks: true,
  },
}));
