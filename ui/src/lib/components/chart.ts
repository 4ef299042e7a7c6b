// Chart.js with only what the progress line chart needs (tree-shaken and
// bundled: no CDN). Its own chunk, imported by ProgressChart on first draw:
// the ~200 KB of chart code is parsed and kept in memory only once a user
// opens a Progress tab, not by every window at start-up (issue 23, idle memory).
import { Chart, LineController, LineElement, PointElement, LinearScale, Tooltip } from "chart.js";

Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip);

export { Chart };
