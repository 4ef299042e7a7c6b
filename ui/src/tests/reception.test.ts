import { screen, waitFor, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, test } from "vitest";
import { call } from "../lib/backend";
import { PEOPLE, readText, renderDeskWeek, renderHomeWith } from "./fixtures-desk";
import { SESSION_ONE, signConsent } from "./fixtures-treatment";
import { TODAY, pinToday } from "./helpers";

beforeEach(() => pinToday());

const text = (el: Element) => el.textContent?.replace(/\s+/g, " ").trim() ?? "";

describe("Today at the reception desk", () => {
  test("Check in turns into “Arrived” with the time; Undo takes it back", async () => {
    const { user, backend } = await renderDeskWeek("receptionist");
    const [maria] = await screen.findAllByTestId("today-session");
    expect(text(maria)).toContain("María José Fernández López");
    // The phone comes from the patient search, not by opening the record (which the audit log counts as a read).
    await waitFor(() => expect(text(maria)).toContain("+34 699 112 233"));
    expect(backend.calls.some((c) => c.command === "get_patient")).toBe(false);
    await user.click(within(maria).getByTestId("today-check-in"));
    expect(text(await within(maria).findByTestId("today-arrived"))).toBe("Arrived 10:00");
    expect(within(maria).queryByTestId("today-check-in")).toBeNull();
    const sessionId = Number(maria.getAttribute("data-session-id"));
    expect(backend.calls.filter((c) => c.command === "check_in").map((c) => c.args)).toEqual([
      { session_id: sessionId, arrived: true },
    ]);

    await user.click(within(maria).getByTestId("today-undo-check-in"));
    expect(await within(maria).findByTestId("today-check-in")).toBeTruthy();
    expect(within(maria).queryByTestId("today-arrived")).toBeNull();
    const day = await backend.call("today");
    expect(day.sessions.find((e) => e.session_id === sessionId)?.checked_in_at ?? null).toBeNull();
  });

  test("a session already recorded shows Done with no Check in, Undo or Mark late", async () => {
    const { backend } = await renderDeskWeek("admin");
    const [maria] = await screen.findAllByTestId("today-session");
    await waitFor(() => expect(within(maria).getByTestId("today-check-in")).toBeTruthy());
    const sessionId = Number(maria.getAttribute("data-session-id"));
    await backend.call("check_in", { session_id: sessionId, arrived: true });
    await signConsent(backend, Number(maria.getAttribute("data-patient-id")));
    const r = await backend.call("record_session", { planned_session_id: sessionId, input: SESSION_ONE });
    expect(r.planned_session_id).toBe(sessionId);
    // The screen's once-a-second reload shows the change.
    await waitFor(() => expect(text(maria)).toContain("Done"), { timeout: 5000 });
    expect(within(maria).getByTestId("today-arrived")).toBeTruthy();
    expect(within(maria).queryByTestId("today-check-in")).toBeNull();
    expect(within(maria).queryByTestId("today-undo-check-in")).toBeNull();
    expect(within(maria).queryByTestId("today-running-late")).toBeNull();
    // Still printable: the aftercare sheet is what a recorded session needs.
    expect(within(maria).getByTestId("today-print-aftercare")).toBeTruthy();
    // The next row, still planned, keeps its buttons.
    const [, jose] = screen.getAllByTestId("today-session");
    expect(within(jose).getByTestId("today-check-in")).toBeTruthy();
  });

  test("Print aftercare on a row opens that session's sheet; Print all prints the day in one PDF", async () => {
    const { user, backend } = await renderDeskWeek("receptionist");
    const rows = await screen.findAllByTestId("today-session");
    await user.click(within(rows[1]).getByTestId("today-print-aftercare"));
    expect(text(await within(rows[1]).findByTestId("today-row-done"))).toBe(
      `Opened aftercare-P-000001-${TODAY}.pdf in the PDF viewer: print it from there.`,
    );
    const printed = backend.calls.filter((c) => c.command === "print_document").map((c) => c.args.request);
    expect(printed).toEqual([{ kind: "aftercare", session_id: Number(rows[1].getAttribute("data-session-id")) }]);

    await user.click(screen.getByTestId("today-print-all"));
    expect(text(await screen.findByTestId("today-print-all-done"))).toBe(
      `Opened aftercare-all-${TODAY}.pdf (2 aftercare sheets, 2 pages) in the PDF viewer: print it from there.`,
    );
    expect(backend.calls.at(-1)?.args).toEqual({ request: { kind: "today", date: "" } });
    // Both PDFs were handed to the system's viewer.
    expect((await backend.opened()).map((p) => p.split("/").at(-1))).toEqual([
      `aftercare-P-000001-${TODAY}.pdf`,
      `aftercare-all-${TODAY}.pdf`,
    ]);
  });

  test("without a PDF viewer the desk is told where the file is, can open its folder and print again", async () => {
    const { user, backend } = await renderDeskWeek("receptionist", { no_pdf_viewer: true });
    // The button waits for the day's list (disabled until it has loaded).
    await screen.findAllByTestId("today-session");
    await user.click(screen.getByTestId("today-print-all"));
    const outcome = await screen.findByTestId("today-print-all-done");
    expect(outcome.getAttribute("role")).toBe("alert");
    const message = text(within(outcome).getByTestId("print-message"));
    expect(message).toMatch(
      new RegExp(`^Saved as /.*/prints/aftercare-all-${TODAY}\\.pdf \\(2 aftercare sheets, 2 pages\\), but no PDF viewer opened it: there is no program on this computer that opens PDF files\\.`),
    );
    expect(message).not.toMatch(/^Opened/);
    expect(await backend.opened()).toEqual([]);
    await user.click(within(outcome).getByTestId("print-show-folder"));
    await waitFor(async () => expect((await backend.opened()).map((p) => p.split("/").at(-1))).toEqual(["prints"]));
    await user.click(within(outcome).getByTestId("print-again"));
    await waitFor(() => expect(backend.calls.filter((c) => c.command === "print_document")).toHaveLength(2));
  });

  test("keyboard: focus never falls to the page after Check in, Undo, Print aftercare, Print again and Print all", async () => {
    const { user } = await renderDeskWeek("receptionist", { no_pdf_viewer: true });
    const [maria] = await screen.findAllByTestId("today-session");
    const focused = () => document.activeElement as HTMLElement;
    /** Focus is on a control of the screen, not on <body>, and not on a disabled button (a browser drops focus from one). */
    const expectFocusOn = (testid: string, inside: HTMLElement = document.body) => {
      expect(focused()).not.toBe(document.body);
      expect(focused().isConnected).toBe(true);
      expect((focused() as HTMLButtonElement).disabled ?? false).toBe(false);
      expect(focused().getAttribute("data-testid"), focused().outerHTML.slice(0, 200)).toBe(testid);
      expect(inside.contains(focused())).toBe(true);
    };

    within(maria).getByTestId("today-check-in").focus();
    await user.keyboard("{Enter}");
    await within(maria).findByTestId("today-arrived");
    await waitFor(() => expectFocusOn("today-undo-check-in", maria));

    await user.keyboard("{Enter}");
    await within(maria).findByTestId("today-check-in");
    await waitFor(() => expectFocusOn("today-check-in", maria));

    await user.click(within(maria).getByTestId("today-print-aftercare"));
    const outcome = await within(maria).findByTestId("today-row-done");
    expectFocusOn("today-print-aftercare", maria);
    // Print again goes away with its outcome while printing: focus goes to the row's Print aftercare.
    await user.click(within(outcome).getByTestId("print-again"));
    await within(maria).findByTestId("today-row-done");
    await waitFor(() => expectFocusOn("today-print-aftercare", maria));

    await user.click(screen.getByTestId("today-print-all"));
    const all = await screen.findByTestId("today-print-all-done");
    expectFocusOn("today-print-all");
    await user.click(within(all).getByTestId("print-again"));
    await screen.findByTestId("today-print-all-done");
    await waitFor(() => expectFocusOn("today-print-all"));
  });

  test("Print aftercare and Open record name the patient for a screen reader", async () => {
    await renderDeskWeek("receptionist");
    const [maria] = await screen.findAllByTestId("today-session");
    const name = "María José Fernández López";
    expect(within(maria).getByRole("button", { name: `Print aftercare for ${name}` })).toBe(
      within(maria).getByTestId("today-print-aftercare"),
    );
    expect(within(maria).getByRole("button", { name: `Open record of ${name}` })).toBe(within(maria).getByTestId("today-open-record"));
    // The name is for the screen reader only: the visible label stays short.
    const hidden = within(maria).getByTestId("today-print-aftercare").querySelector(".visually-hidden");
    expect(hidden?.textContent).toBe(`for ${name}`);
    expect(text(within(maria).getByTestId("today-print-aftercare"))).toBe(`Print aftercare for ${name}`);
  });

  test("Print all on a day with nothing booked shows the backend's reason", async () => {
    const { user } = await renderHomeWith({ patients: PEOPLE, signed_in_as: "receptionist" });
    expect(await screen.findByTestId("today-no-sessions")).toBeTruthy();
    await user.click(screen.getByTestId("today-print-all"));
    const error = await screen.findByTestId("today-print-all-error");
    expect(text(error)).toBe(`There are no sessions booked on ${TODAY}: nothing to print.`);
    expect(error.getAttribute("role")).toBe("alert");
    expect((screen.getByTestId("today-print-all") as HTMLButtonElement).disabled).toBe(false);
  });

  test("New patient + first consultation: every field error beside its field, nothing saved; then the row appears", async () => {
    const { user, backend } = await renderDeskWeek("receptionist");
    await screen.findAllByTestId("today-session");
    await user.click(screen.getByTestId("today-new-patient"));
    const dialog = await screen.findByTestId("quick-patient-dialog");
    await user.type(within(dialog).getByTestId("quick-first-name"), "Ana");
    await user.type(within(dialog).getByTestId("quick-date-of-birth"), "2031-01-01");
    await user.type(within(dialog).getByTestId("quick-phone"), "call me");
    const date = within(dialog).getByTestId("quick-consultation-date");
    await user.clear(date);
    await user.type(date, "2026-03-07"); // a Saturday: closed
    await user.type(within(dialog).getByTestId("quick-consultation-time"), "2500");
    await user.click(within(dialog).getByTestId("quick-save"));

    expect(text(await within(dialog).findByTestId("error-last_name"))).toBe("Enter the last name.");
    expect(text(within(dialog).getByTestId("error-date_of_birth"))).toMatch(/in the future/);
    expect(text(within(dialog).getByTestId("error-phone"))).toMatch(/"c" is not allowed/);
    expect(text(within(dialog).getByTestId("error-consultation_date"))).toBe(
      "The clinic is closed on Sat 2026-03-07. The next open day is Mon 2026-03-09.",
    );
    expect(text(within(dialog).getByTestId("error-consultation_time"))).toMatch(/"25:00" is not a time/);
    expect(document.activeElement).toBe(within(dialog).getByTestId("quick-last-name"));
    const all = await backend.call("search_patients", { search: { query: "", include_archived: true, offset: 0, limit: 50 } });
    expect(all.items).toHaveLength(7); // both or neither

    await user.type(within(dialog).getByTestId("quick-last-name"), "Lima");
    const dob = within(dialog).getByTestId("quick-date-of-birth");
    await user.clear(dob);
    await user.type(dob, "1990-02-03");
    const phone = within(dialog).getByTestId("quick-phone");
    await user.clear(phone);
    await user.type(phone, "+351 912 000 111");
    await user.clear(date);
    await user.type(date, TODAY);
    const time = within(dialog).getByTestId("quick-consultation-time");
    await user.clear(time);
    await user.type(time, "0845");
    expect((time as HTMLInputElement).value).toBe("08:45");
    await user.click(within(dialog).getByTestId("quick-save"));

    await waitFor(() => expect(screen.queryByTestId("quick-patient-dialog")).toBeNull());
    expect(text(screen.getByTestId("today-notice"))).toMatch(/^Ana Lima was added as P-000008; first consultation .* at 08:45\.$/);
    const consult = await screen.findByTestId("today-consultation");
    expect(text(consult)).toMatch(/^08:45 Ana Lima P-000008 \+351 912 000 111 First consultation/);
    // In time order: the consultation before the 09:30 and 11:00 sessions.
    const order = screen.getAllByTestId("today-session-time").map((t) => text(t));
    expect(order).toEqual(["08:45", "09:30", "11:00"]);
    expect(text(screen.getByTestId("today-count"))).toBe("3");

    // A consultation is checked in like a session.
    await user.click(within(consult).getByTestId("today-check-in"));
    expect(text(await within(consult).findByTestId("today-arrived"))).toBe("Arrived 10:00");
    expect(backend.calls.filter((c) => c.command === "check_in_consultation").at(-1)?.args).toMatchObject({ arrived: true });
  });
});

describe("Documents tab", () => {
  async function openDocuments(as: "admin" | "receptionist", row = 1) {
    const app = await renderDeskWeek(as);
    const rows = await screen.findAllByTestId("today-session");
    await app.user.click(within(rows[row]).getByTestId("today-open-record"));
    await screen.findByTestId("patient-record");
    await app.user.click(screen.getByTestId("documents-tab"));
    await screen.findByTestId("documents");
    return app;
  }

  test("a receptionist prints aftercare and the schedule card, saves a copy, and sees them listed; no progress summary", async () => {
    const { user, backend } = await openDocuments("receptionist");
    expect(screen.getAllByRole("tab").map((t) => text(t))).toEqual(["Profile", "Documents"]);
    expect(screen.queryByTestId("documents-progress")).toBeNull();
    expect(await screen.findByTestId("documents-empty")).toBeTruthy();

    const session = (await screen.findByTestId("documents-session")) as HTMLSelectElement;
    expect(session.selectedOptions[0].textContent).toMatch(/^Session 2 of 6 · /);
    await user.click(screen.getByTestId("documents-print-aftercare"));
    expect(text(await screen.findByTestId("documents-done"))).toBe(
      `Opened aftercare-P-000001-${TODAY}.pdf in the PDF viewer: print it from there.`,
    );
    const rows = await screen.findAllByTestId("document-row");
    expect([...rows[0].querySelectorAll("td")].slice(0, 4).map(text)).toEqual([
      `Aftercare sheet, treatment ${TODAY}`,
      "Aftercare sheet",
      "1",
      "Sam Reyes",
    ]);

    const card = `${await backend.folder()}/card.pdf`;
    backend.dialog.save.push(card);
    await user.click(screen.getByTestId("documents-save-schedule_card"));
    expect(text(await screen.findByTestId("documents-done"))).toBe(`Saved ${card} (1 page).`);
    expect(backend.calls.find((c) => c.command === "save_document")?.args).toEqual({
      request: { kind: "schedule_card", patient_id: 1 },
      path: card,
      language: "", // the patient's own language
    });
    expect(readText(card).slice(0, 5)).toBe("%PDF-");
    await waitFor(() => expect(screen.getAllByTestId("document-row")).toHaveLength(2));
    expect(screen.getAllByTestId("document-row")[0].getAttribute("data-kind")).toBe("schedule_card");

    // The backend refuses the summary anyway.
    await expect(call("print_document", { request: { kind: "progress_summary", patient_id: 1 } })).rejects.toMatchObject({
      code: "forbidden",
    });
  });

  test("a practitioner prints the progress summary; without a plan the backend says why", async () => {
    const { user } = await openDocuments("admin");
    expect(screen.getAllByRole("tab")).toHaveLength(8);
    await user.click(screen.getByTestId("documents-print-progress_summary"));
    expect(text(await screen.findByTestId("documents-done"))).toBe(
      `Opened progress-P-000001-${TODAY}.pdf in the PDF viewer: print it from there.`,
    );
    expect((await screen.findAllByTestId("document-row"))[0].getAttribute("data-kind")).toBe("progress_summary");

    // Cancelling the save dialog saves nothing.
    await user.click(screen.getByTestId("documents-save-progress_summary"));
    expect(screen.getAllByTestId("document-row")).toHaveLength(1);
  });

  test("a patient without a plan: no session to choose, and the schedule card is refused with the reason", async () => {
    const app = await renderDeskWeek();
    await app.user.click(screen.getByTestId("nav-patients"));
    await app.user.click((await screen.findAllByTestId("patient-row")).find((r) => text(r).includes("Yılmaz"))!);
    await app.user.click(await screen.findByTestId("documents-tab"));
    expect(await screen.findByTestId("documents-no-sessions")).toBeTruthy();
    expect((screen.getByTestId("documents-print-aftercare") as HTMLButtonElement).disabled).toBe(true);
    await app.user.click(screen.getByTestId("documents-print-schedule_card"));
    const error = await screen.findByTestId("documents-error");
    expect(text(error)).toBe("This patient has no plan yet: there are no dates to print.");
  });
});
