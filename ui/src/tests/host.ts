// Vitest global setup: starts the test host (crates/dermis-testhost) once for
// the whole run and hands its address to every test file. `cargo build -p
// dermis-testhost` runs first (a second when nothing changed), so the tests
// never meet a stale backend; DERMIS_TESTHOST=path uses a given build instead.
// The UI tests therefore run against the real Rust rules.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    testHost: string;
  }
}

const ROOT = path.resolve(__dirname, "../../..");

function binary(): string {
  if (process.env.DERMIS_TESTHOST) return process.env.DERMIS_TESTHOST;
  const target = process.env.CARGO_TARGET_DIR ?? path.join(ROOT, "target");
  return path.join(target, "debug", "dermis-testhost");
}

let child: ChildProcess | null = null;

export default async function setup(project: TestProject): Promise<() => void> {
  const bin = binary();
  // Built (or found up to date) every run, so the tests never meet a stale backend.
  if (!process.env.DERMIS_TESTHOST || !existsSync(bin)) {
    const built = spawnSync("cargo", ["build", "-q", "-p", "dermis-testhost"], { cwd: ROOT, stdio: "inherit" });
    if (built.status !== 0) throw new Error("cargo build -p dermis-testhost failed");
  }
  child = spawn(bin, ["--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child?.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/[\d.:]+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child?.on("exit", (code) => reject(new Error(`the test host stopped (${code})`)));
  });
  project.provide("testHost", url);
  return () => {
    child?.kill("SIGTERM");
  };
}
