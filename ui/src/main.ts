import { mount } from "svelte";
import "./app.css";
import App from "./lib/components/App.svelte";

async function start(): Promise<void> {
  // `vite --mode mock` (or `?mock` on the dev server) runs the UI in a plain
  // browser against the in-memory backend. Production builds never include it.
  const params = new URLSearchParams(window.location.search);
  if (import.meta.env.MODE === "mock" || (import.meta.env.DEV && params.has("mock"))) {
    const { startDemoBackend } = await import("./lib/backend/demo");
    startDemoBackend(params.get("state"));
  }
  const target = document.getElementById("app");
  if (target) mount(App, { target });
}

void start();
