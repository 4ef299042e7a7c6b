import { mount } from "svelte";
import "./app.css";
import App from "./lib/components/App.svelte";

async function start(): Promise<void> {
  // `vite --mode mock` (or `?mock` on the dev server) runs the UI in a plain
  // browser against the test host (the real backend on 127.0.0.1). Production
  // builds never include it.
  const params = new URLSearchParams(window.location.search);
  if (import.meta.env.MODE === "mock" || (import.meta.env.DEV && params.has("mock"))) {
    const { startDemoBackend } = await import("./lib/backend/demo");
    await startDemoBackend(params.get("state"));
  }
  const target = document.getElementById("app");
  if (target) mount(App, { target });
}

void start();
