// Lot trace (Adverse events → Lot trace) and the Recalls screen (issue 18),
// against the real backend on the test host.
import { screen, waitFor, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, test } from "vitest";
import { asApiError } from "../lib/backend";
import { renderDeskWeek } from "./fixtures-desk";
import { GRADE_3_NORMAL, SESSION_ONE, acceptPlan, assess, patientId, readHostFile, screenPatient } from "./fixtures-treatment";
import { RECEPTIONIST, TODAY, pinToday, renderHome, type TestBackend } from "./helpers";

beforeEach(() => pinToday());

describe("lot trace", () => {
  /** Emma treated with cartridge CT-1001 (no adverse event); Oliver with "ct-1001 " and then an infection. */
  async function treated(backend: TestBackend): Promise<void> {
    for (const [name, lot, event] of [
      ["Emma Smith", "CT-1001", null],
      ["Oliver Jones", "ct-1001 ", { kind: "infection", description: "Pustules" }],
    ] as const) {
      const id = await patientId(backend, name);
      await screenPatient(backend, id);
      const a = await assess(backend, id, { ...GRADE_3_NORMAL });
      const plan = await acceptPlan(backend, id, a.id);
      const r = await backend.call("record_session", {
        planned_session_id: plan.sessions[0].id,
        input: { ...SESSION_ONE, cartridge_lot: lot },
      });
      if (event)
        await backend.call("record_healing", {
          session_record_id: r.id,
          input: { reported_on: TODAY, redness_days: 2, flaking_days: 2, events: [event], notes: "" },
        });
    }
  }

  test("finds every patient treated with the lot, with or without an adverse event, exports and prints", async () => {
    const { user, backend } = await renderHome({
      patients: [
        { first_name: "Emma", last_name: "Smith", phone: "+44 20 7946 0001" },
        { first_name: "Oliver", last_name: "Jones", phone: "+44 20 7946 0002" },
      ],
    });
    await treated(backend);
    await user.click(screen.getByTestId("nav-adverse-events"));
    await user.click(await screen.findByTestId("tab-lot-trace"));
    // Typed in another case, with a zero-width space pasted along.
    await user.type(screen.getByTestId("lot-value"), "Ct-\u200b1001");
    await user.click(screen.getByTestId("lot-apply"));
    await waitFor(() => expect(screen.getAllByTestId("lot-row")).toHaveLength(2));
    expect(screen.getByTestId("lot-count").textContent?.replace(/\s+/g, " ").trim()).toBe("2 sessions, 2 patients");
    const rows = screen.getAllByTestId("lot-row");
    const byName = (n: string) => rows.find((r) => r.textContent?.includes(n))!;
    expect(byName("Emma Smith").textContent).toContain("+44 20 7946 0001");
    expect(within(byName("Emma Smith")).getByTestId("lot-events").textContent).toBe("None");
    expect(within(byName("Oliver Jones")).getByTestId("lot-events").textContent).toBe("1");
    for (const r of rows) expect(r.textContent).toContain("Dr Amira Haddad");

    // A day range without the session finds nothing; the day itself is included.
    await user.type(screen.getByTestId("lot-from"), "2026-03-05");
    await user.click(screen.getByTestId("lot-apply"));
    expect(await screen.findByTestId("lot-empty")).toBeTruthy();
    await user.clear(screen.getByTestId("lot-from"));
    await user.type(screen.getByTestId("lot-from"), TODAY);
    await user.type(screen.getByTestId("lot-to"), TODAY);
    await user.click(screen.getByTestId("lot-apply"));
    await waitFor(() => expect(screen.getAllByTestId("lot-row")).toHaveLength(2));

    const csv = `${await backend.folder()}/lots.csv`;
    backend.dialog.save.push(csv);
    await user.click(screen.getByTestId("lot-export"));
    expect((await screen.findByTestId("lot-notice")).textContent).toBe(`2 sessions exported to ${csv}.`);
    const written = await readHostFile(csv);
    expect(written).toMatch(/^\uFEFFsession_date,patient_number/);
    expect(written).toContain("Smith,Emma,+44 20 7946 0001");

    await user.click(screen.getByTestId("lot-print"));
    expect(await screen.findByTestId("lot-print-outcome")).toBeTruthy();
    await waitFor(async () => expect((await backend.opened()).some((p) => /lot-trace-.*\.pdf$/.test(p))).toBe(true));
  });

  test("an empty lot is refused beside its field", async () => {
    const { user } = await renderHome();
    await user.click(screen.getByTestId("nav-adverse-events"));
    await user.click(await screen.findByTestId("tab-lot-trace"));
    await user.click(screen.getByTestId("lot-apply"));
    expect((await screen.findByTestId("error-lot")).textContent).toMatch(/Enter the lot/);
  });
});

describe("recalls", () => {
  test("the desk sees overdue and this week's recalls with phone and language, and nothing clinical", async () => {
    const { user, backend } = await renderDeskWeek("receptionist");
    await user.click(screen.getByTestId("nav-recalls"));
    const overdue = await screen.findByTestId("recalls-overdue");
    const week = screen.getByTestId("recalls-this-week");
    await waitFor(() => expect(within(overdue).getAllByTestId("recall-row")).toHaveLength(1));
    const siobhan = within(overdue).getByTestId("recall-row");
    expect(siobhan.textContent).toContain("Siobhán O'Brien");
    expect(within(siobhan).getByTestId("recall-phone").textContent).toBe("+353 87 123 4567");
    expect(within(week).getByTestId("recall-row").textContent).toContain("Łukasz Kowalski");

    // The reply itself holds only what the desk needs to call.
    const list = await backend.call("recall_calls");
    for (const c of list.calls)
      expect(Object.keys(c).sort()).toEqual(
        ["contacts", "due", "first_name", "last_name", "patient_id", "patient_number", "phone", "plan_id", "preferred_language", "recall_id", "urgency"],
      );
    // The lot trace is the clinical team's.
    await expect(backend.call("lot_trace", { filter: { lot: "X", from: "", to: "" } })).rejects.toSatisfy(
      (e: unknown) => asApiError(e).code === "forbidden",
    );
    expect(screen.queryByTestId("nav-adverse-events")).toBeNull();
  });

  test("the desk logs a call, books the visit on the recall's date and prints a letter", async () => {
    const { user, backend } = await renderDeskWeek("receptionist");
    await user.click(screen.getByTestId("nav-recalls"));
    const overdue = await screen.findByTestId("recalls-overdue");
    let siobhan = await within(overdue).findByTestId("recall-row");
    expect(within(siobhan).getByTestId("recall-no-contacts")).toBeTruthy();

    await user.click(within(siobhan).getByTestId("recall-log"));
    await user.selectOptions(screen.getByTestId("recall-outcome"), "no_answer");
    await user.type(screen.getByTestId("recall-note"), "Try after 5 pm");
    await user.click(screen.getByTestId("recall-log-save"));
    await waitFor(() => expect(within(screen.getByTestId("recalls-overdue")).getAllByTestId("recall-contact")).toHaveLength(1));
    siobhan = within(screen.getByTestId("recalls-overdue")).getByTestId("recall-row");
    const logged = within(siobhan).getByTestId("recall-contact");
    expect(logged.getAttribute("data-outcome")).toBe("no_answer");
    expect(logged.textContent).toContain("No answer");
    expect(logged.textContent).toContain(RECEPTIONIST.display_name);
    expect(logged.textContent).toContain("Try after 5 pm");

    // Book now opens on the recall's date.
    const lukasz = within(screen.getByTestId("recalls-this-week")).getByTestId("recall-row");
    await user.click(within(lukasz).getByTestId("recall-book"));
    const dialog = await screen.findByTestId("recall-book-dialog");
    expect((within(dialog).getByTestId("recall-book-date") as HTMLInputElement).value).toBe("2026-03-09");
    await user.type(within(dialog).getByTestId("recall-book-time"), "10:30");
    await user.click(within(dialog).getByTestId("recall-book-save"));
    await waitFor(() => expect(screen.queryByTestId("recall-book-dialog")).toBeNull());
    const booked = backend.calls.find((c) => c.command === "book_consultation");
    expect(booked?.args).toEqual({ patient_id: 6, date: "2026-03-09", time: "10:30" });
    await waitFor(() =>
      expect(within(screen.getByTestId("recalls-this-week")).getByTestId("recall-contact").getAttribute("data-outcome")).toBe("booked"),
    );

    // A letter in the patient's language, opened for printing.
    siobhan = within(screen.getByTestId("recalls-overdue")).getByTestId("recall-row");
    await user.click(within(siobhan).getByTestId("recall-letter"));
    expect(await screen.findByTestId("recall-print-outcome")).toBeTruthy();
    await waitFor(async () => expect((await backend.opened()).some((p) => /recall-P-000005-2026-03-02\.pdf$/.test(p))).toBe(true));
  });
});
