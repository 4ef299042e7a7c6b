// Vite plugin for `npm run dev:mock` / `preview:mock`: starts the test host
// (crates/dermis-testhost, built with cargo if missing) and forwards
// /__testhost/* to it, so the UI in a plain browser talks to the real backend
// through its own origin (the page never reaches another address).
import http from "node:http";
import type { Connect, Plugin } from "vite";
import { startTestHost, type TestHost } from "./test-host";

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
  let host: Promise<TestHost> | null = null;
  const ensure = () => (host ??= startTestHost({ rebuild: false }));
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
