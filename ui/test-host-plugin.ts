// Vite plugin for `npm run dev:mock` / `preview:mock`: starts the test host
// (crates/dermis-testhost, built with cargo if missing) and forwards
// /__testhost/* to it, so the UI in a plain browser talks to the real backend
// through its own origin (the page never reaches another address).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import type { Connect, Plugin } from "vite";

const ROOT = path.resolve(__dirname, "..");

function startHost(): Promise<{ url: string; child: ChildProcess }> {
  const target = process.env.CARGO_TARGET_DIR ?? path.join(ROOT, "target");
  const bin = process.env.DERMIS_TESTHOST ?? path.join(target, "debug", "dermis-testhost");
  if (!existsSync(bin)) {
    const built = spawnSync("cargo", ["build", "-q", "-p", "dermis-testhost"], { cwd: ROOT, stdio: "inherit" });
    if (built.status !== 0) throw new Error("cargo build -p dermis-testhost failed");
  }
  const child = spawn(bin, ["--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
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

function forward(host: string): Connect.NextHandleFunction {
  return (req, res) => {
    const target = new URL(req.url ?? "/", host);
    const upstream = http.request(target, { method: req.method, headers: { "content-type": "application/json" } }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    upstream.on("error", () => {
      res.writeHead(502).end();
    });
    req.pipe(upstream);
  };
}

export function testHost(): Plugin {
  let host: Promise<{ url: string; child: ChildProcess }> | null = null;
  const ensure = () => (host ??= startHost());
  const install = (middlewares: Connect.Server) => {
    middlewares.use("/__testhost", (req, res, next) => {
      ensure()
        .then(({ url }) => forward(url)(req, res, next))
        .catch(() => res.writeHead(502).end());
    });
  };
  const stop = () => void host?.then(({ child }) => child.kill("SIGTERM"));
  process.on("exit", stop);
  return {
    name: "dermis-test-host",
    configureServer(server) {
      install(server.middlewares);
      server.httpServer?.on("close", stop);
    },
    configurePreviewServer(server) {
      install(server.middlewares);
      server.httpServer?.on("close", stop);
    },
  };
}
