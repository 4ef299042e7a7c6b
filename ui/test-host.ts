// Starting the test host (crates/dermis-testhost: the command table over HTTP
// on 127.0.0.1), for Vitest (src/tests/host.ts) and for `npm run dev:mock`
// (test-host-plugin.ts). DERMIS_TESTHOST=path uses a given build; otherwise the
// workspace's debug build, made with cargo first.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..");

export type TestHost = { url: string; child: ChildProcess };

/**
 * Starts the test host on a free loopback port. `rebuild`: run `cargo build`
 * even when a binary exists (a second when nothing changed), so tests never
 * meet a stale backend; a given DERMIS_TESTHOST is never rebuilt.
 */
export function startTestHost({ rebuild }: { rebuild: boolean }): Promise<TestHost> {
  const given = process.env.DERMIS_TESTHOST;
  const target = process.env.CARGO_TARGET_DIR ?? path.join(ROOT, "target");
  const bin = given ?? path.join(target, "debug", "dermis-testhost");
  if (!existsSync(bin) || (rebuild && !given)) {
    const built = spawnSync("cargo", ["build", "-q", "-p", "dermis-testhost"], { cwd: ROOT, stdio: "inherit" });
    if (built.status !== 0) throw new Error("cargo build -p dermis-testhost failed");
  }
  // The clinic's date format follows the locale until a clinic chooses one:
  // tests pin the locale so they read the same dates on every machine (ISO).
  const env = { ...process.env, LC_ALL: "C.UTF-8", LC_TIME: "C.UTF-8", LANG: "C.UTF-8" };
  const child = spawn(bin, ["--port", "0"], { stdio: ["ignore", "pipe", "inherit"], env });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/[\d.:]+)/.exec(out);
      if (m) resolve({ url: m[1], child });
    });
    child.on("exit", (code) => reject(new Error(`the test host stopped (${code})`)));
  });
}
