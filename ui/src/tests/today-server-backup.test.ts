// Today's backup line on a PC joined to the clinic server (issue 16): the
// backups are the server PC's nightly ones, so the line speaks of the
// server's last verified backup, warns only when it is stale (the backend's
// rule: more than 2 whole days, dermis-clinic `backup_warning`, tested there
// and on a real cluster in tests/print_offline.rs) and never asks this PC to
// back up. The test host cannot sign in on a PostgreSQL server, so
// `backup_status` answers here as a joined PC's backend does; every other
// command goes to the real backend.
import { screen } from "@testing-library/svelte";
import { describe, expect, test } from "vitest";
import { useTransport } from "../lib/backend";
import type { BackupStatus } from "../lib/bindings/BackupStatus";
import { renderHomeWith } from "./fixtures-desk";
import { readableDate } from "../lib/format";

async function todayOnServer(status: BackupStatus) {
  return renderHomeWith({}, async (backend) => {
    useTransport(async (command, args) => {
      if (command === "backup_status") return status;
      return backend.call(command as never, args as never);
    });
  });
}

describe("Today's backup line on a PC joined to the clinic server", () => {
  test("a server backup three days old: the server's backups have stopped; this PC is not asked to back up", async () => {
    await todayOnServer({ last_good_at: "2026-02-23T02:00:05Z", last_path: null, days_since: 3, warning: true, on_server: true });
    const warning = await screen.findByTestId("backup-warning");
    expect(warning.textContent?.replace(/\s+/g, " ").trim()).toBe(
      `The clinic server's last verified backup is 3 days old (made on ${readableDate("2026-02-23")}): its nightly backups have stopped. Tell the clinic's administrator: backups run on the server PC each night, not on this PC.`,
    );
    expect(warning.textContent).not.toMatch(/back up now/i);
    expect(screen.queryByRole("button", { name: /back up/i })).toBeNull();
  });

  test("last night's server backup: no warning at all", async () => {
    await todayOnServer({ last_good_at: "2026-02-25T02:00:05Z", last_path: null, days_since: 1, warning: false, on_server: true });
    await screen.findByTestId("today-screen");
    // The backup line is read after the day's list.
    await new Promise((r) => setTimeout(r, 200));
    expect(screen.queryByTestId("backup-warning")).toBeNull();
  });

  test("a server with no verified backup yet says so, and still not 'back up now'", async () => {
    await todayOnServer({ last_good_at: null, last_path: null, days_since: null, warning: true, on_server: true });
    const warning = await screen.findByTestId("backup-warning");
    expect(warning.textContent).toMatch(/The clinic server has no verified backup yet\./);
    expect(warning.textContent).not.toMatch(/back up now/i);
  });

  test("a single-PC clinic keeps its own wording (the real backend)", async () => {
    await renderHomeWith({});
    const warning = await screen.findByTestId("backup-warning");
    expect(warning.textContent).toMatch(/No backup of the clinic's records has been made yet\. Ask the clinic's administrator to back up now/);
  });
});
