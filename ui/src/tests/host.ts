// Vitest global setup: starts the test host (crates/dermis-testhost) once for
// the whole run and hands its address to every test file, so the UI tests run
// against the real Rust rules. It is rebuilt first (see ../../test-host.ts).
import type { TestProject } from "vitest/node";
import { startTestHost } from "../../test-host";

declare module "vitest" {
  export interface ProvidedContext {
    testHost: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const { url, child } = await startTestHost({ rebuild: true });
  project.provide("testHost", url);
  return () => {
    child.kill("SIGTERM");
  };
}
