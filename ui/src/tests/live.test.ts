// Live updates (issue 16): Today reloads by itself when something it shows
// changes (here written straight to the backend, as another screen or PC
// would), without a click; the "server not answering" banner shows on every
// screen with the server and the time, and goes when the server is back.
// The test host is one SQLite clinic in-process: the feed follows its writes;
// the server's own outage is tested on a real cluster in dermis-clinic's
// tests/live_outage.rs, so here the banner is driven through the live store.
import { screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, test } from "vitest";
import { useTransport } from "../lib/backend";
import { live, pollChanges, stopLive } from "../lib/live.svelte";
import { renderHome, renderSignedIn } from "./helpers";

const text = (el: Element) => el.textContent?.replace(/\s+/g, " ").trim() ?? "";

function localToday(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

describe("live updates", () => {
  test("Today shows a consultation booked elsewhere within two seconds, with no click", async () => {
    const { backend } = await renderHome({ patients: [] });
    expect(screen.queryByTestId("today-consultation")).toBeNull();
    // The poller has asked once (from now) before anything else happens.
    await waitFor(() => expect(live.answers).toBeGreaterThan(0));
    await backend.settled();
    const todayCalls = () => backend.calls.filter((c) => c.command === "today").length;
    const before = todayCalls();

    // Another PC registers a patient and books her first consultation for today.
    const p = await backend.call("create_patient", {
      input: {
        first_name: "Ingrid",
        last_name: "Solberg",
        date_of_birth: "1984-03-02",
        sex: null,
        phone: "+47 912 34 567",
        email: "",
        address: "",
        preferred_language: "en",
        notes: "",
      },
    });
    await backend.call("book_consultation", { patient_id: p.id, date: localToday(), time: "16:45" });
    const t = Date.now();
    const row = await screen.findByTestId("today-consultation", {}, { timeout: 2500 });
    expect(Date.now() - t).toBeLessThan(2500);
    expect(text(row)).toContain("Ingrid Solberg");
    // Reloaded by the feed (nobody clicked Refresh: no user event in this test).
    expect(todayCalls()).toBeGreaterThan(before);
  });

  test("a server outage shows the banner on every screen with the server and since when; it goes when the server is back", async () => {
    const { user } = await renderHome({ patients: [] });
    await waitFor(() => expect(live.connection.state).toBe("connected"));
    expect(screen.queryByTestId("server-banner")).toBeNull();
    // The feed's answer while the server is away (the poller is stopped so
    // the SQLite host, always connected, does not answer over it).
    stopLive();
    const since = new Date(2026, 10, 30, 14, 2, 0);
    live.connection = { state: "unreachable", server: "10.0.0.5", since: since.toISOString() };
    const banner = await screen.findByTestId("server-banner");
    expect(banner.getAttribute("role")).toBe("alert");
    expect(text(banner)).toBe(
      "The clinic server 10.0.0.5 is not answering since 14:02. Nothing you type is lost; saving will work again when it is back.",
    );
    // Every screen: the calendar and the patient list show it too.
    await user.click(screen.getByTestId("nav-calendar"));
    expect(await screen.findByTestId("server-banner")).toBeTruthy();
    await user.click(screen.getByTestId("nav-patients"));
    await screen.findByTestId("patient-search");
    expect(within(document.body).getByTestId("server-banner")).toBeTruthy();

    // Back: the next answer of the feed says connected, and the banner goes.
    await pollChanges();
    await waitFor(() => expect(screen.queryByTestId("server-banner")).toBeNull());
  });

  test("the feed itself refused as unavailable (the server went before the listener noticed) shows the banner too", async () => {
    const { backend } = await renderHome({ patients: [] });
    await waitFor(() => expect(live.answers).toBeGreaterThan(0));
    stopLive();
    // On the real app each command re-reads who is signed in from the server,
    // so with the server gone `changes` is refused before it can say so itself.
    useTransport(async (command, args) => {
      if (command === "changes") {
        throw { code: "unavailable", message: "The clinic server is not answering.", field: null, fields: [] };
      }
      return backend.call(command as never, args as never);
    });
    expect(screen.queryByTestId("server-banner")).toBeNull();
    await pollChanges();
    const banner = await screen.findByTestId("server-banner");
    expect(text(banner)).toMatch(/is not answering since \d\d:\d\d\. Nothing you type is lost/);
    // The server answers again: the banner goes.
    useTransport(async (command, args) => backend.call(command as never, args as never));
    await pollChanges();
    await waitFor(() => expect(screen.queryByTestId("server-banner")).toBeNull());
  });

  test("a password changed on another PC: no outage banner, the lock screen says why and the new password unlocks", async () => {
    const { user, backend } = await renderHome({ patients: [] });
    await waitFor(() => expect(live.answers).toBeGreaterThan(0));
    stopLive();
    // The backend answers the feed so once the server refuses this PC's old
    // password (dermis-clinic's live_password test produces it on a real cluster).
    const why = "Your password was changed on another PC. Enter your new password to continue.";
    let refused = true;
    useTransport(async (command, args) => {
      if (command === "changes" && refused) throw { code: "locked", message: why, field: null, fields: [] };
      return backend.call(command as never, args as never);
    });
    await pollChanges();
    const reason = await screen.findByTestId("lock-reason");
    expect(text(reason)).toBe(`${why} Your work is kept just as you left it.`);
    expect(screen.queryByTestId("server-banner")).toBeNull();
    // Unlocking (here with the test account's password, on the real backend) takes the lock and the reason away.
    refused = false;
    await backend.call("lock_app");
    await user.type(screen.getByLabelText("Password"), "correct horse battery");
    await user.keyboard("{Enter}");
    await waitFor(() => expect(screen.queryByTestId("lock-reason")).toBeNull());
    expect(screen.queryByTestId("server-banner")).toBeNull();
  });

  test("an edit form whose patient changed elsewhere keeps what was typed, says so and offers Reload", async () => {
    const { user, backend } = await renderSignedIn({
      patients: [{ first_name: "Ingrid", last_name: "Solberg", date_of_birth: "1984-03-02", phone: "+47 912 34 567" }],
    });
    await user.click(await screen.findByTestId("patient-row"));
    await user.click(await screen.findByTestId("edit-patient"));
    const first = (await screen.findByTestId("patient-first-name")) as HTMLInputElement;
    await user.clear(first);
    await user.type(first, "Inga");
    // Another PC changes her phone meanwhile.
    const theirs = await backend.call("get_patient", { id: 1 });
    await backend.call("update_patient", {
      id: 1,
      expected_version: theirs.version,
      input: {
        first_name: theirs.first_name,
        last_name: theirs.last_name,
        date_of_birth: theirs.date_of_birth,
        sex: theirs.sex,
        phone: "+47 900 00 000",
        email: theirs.email,
        address: theirs.address,
        preferred_language: theirs.preferred_language,
        notes: theirs.notes,
      },
    });
    const banner = await screen.findByTestId("form-banner", {}, { timeout: 2500 });
    expect(text(banner)).toContain("changed this patient's details on another computer");
    expect(within(banner).getByTestId("reload-patient")).toBeTruthy();
    // Nothing typed was lost.
    expect((screen.getByTestId("patient-first-name") as HTMLInputElement).value).toBe("Inga");
    // Saving anyway is refused, naming who changed it.
    await user.click(screen.getByTestId("patient-save"));
    await waitFor(() =>
      expect(text(screen.getByTestId("form-banner"))).toMatch(/^admin changed this patient's details at \d\d:\d\d/),
    );
    expect((screen.getByTestId("patient-first-name") as HTMLInputElement).value).toBe("Inga");
  });

  test("a save refused because the server is not answering says so and keeps what was typed", async () => {
    const { user, backend } = await renderSignedIn({
      patients: [{ first_name: "Ingrid", last_name: "Solberg", date_of_birth: "1984-03-02" }],
    });
    await user.click(await screen.findByTestId("patient-row"));
    await user.click(await screen.findByTestId("edit-patient"));
    const phone = (await screen.findByTestId("patient-phone")) as HTMLInputElement;
    await user.type(phone, "+47 912 34 567");
    // The server goes away: the backend refuses the write as it does then
    // (dermis-clinic's live_outage test produces this reply on a real cluster).
    const refusal =
      "The clinic server is not answering, so nothing was saved. What you typed is still here; save again when the server is back.";
    useTransport(async (command, args) => {
      if (command === "update_patient") throw { code: "unavailable", message: refusal, field: null, fields: [] };
      return backend.call(command as never, args as never);
    });
    await user.click(screen.getByTestId("patient-save"));
    const banner = await screen.findByTestId("form-banner");
    expect(banner.getAttribute("role")).toBe("alert");
    expect(text(banner)).toContain(refusal);
    expect((screen.getByTestId("patient-phone") as HTMLInputElement).value).toBe("+47 912 34 567");
    expect(screen.getByTestId("patient-first-name")).toBeTruthy();
  });
});
