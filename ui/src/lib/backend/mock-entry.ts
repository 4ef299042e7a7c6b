// The mock backend as one classic script (npm run build:mock-backend →
// dist-mock-backend/mock-backend.js), for loading the production build
// (ui/dist) in a plain browser: tests/no-network injects it before the page's
// own scripts run. `?state=` picks the start (see startDemoBackend).
import { startDemoBackend } from "./demo";

startDemoBackend(new URLSearchParams(window.location.search).get("state"));
