import { screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { Condition } from "../lib/bindings/Condition";
import { weekdayDate } from "../lib/format";
import { assess, patientId, screenPatient } from "./fixtures-treatment";
import { TODAY, openPatientTab, pinToday, type TestBackend } from "./helpers";

const EMMA = [{ first_name: "Emma", last_name: "Smith" }];

beforeEach(() => pinToday());
// A test may give jsdom a scrollIntoView (it has none); take it away again.
afterEach(() => {
  delete (Element.prototype as Partial<Element>).scrollIntoView;
});

/**
 * A screening today (Yes to `yes`) and a grade 3 assessment of normal skin:
 * the clinic's defaults give 5 sessions, 5 weeks apart; from Wednesday
 * 4 March the course falls on Wednesdays (the clinic is open Monday to Friday).
 */
async function screenedAndAssessed(backend: TestBackend, yes: Condition[] = []): Promise<void> {
  const id = await patientId(backend);
  await screenPatient(backend, id, yes);
  await assess(backend, id);
}

function sessionRows(): Array<{ n: string | null; text: string }> {
  return screen.getAllByTestId("plan-session-row").map((r) => ({ n: r.getAttribute("data-n"), text: r.textContent ?? "" }));
}

async function openPlan(yes: Condition[] = []) {
  return openPatientTab("plan", { patients: EMMA }, (backend) => screenedAndAssessed(backend, yes));
}

describe("plan proposal", () => {
  test("proposes dates on open days, with the rationale, from the latest assessment and today", async () => {
    await openPlan();
    const proposal = await screen.findByTestId("plan-proposal");
    expect((screen.getByTestId("plan-start") as HTMLInputElement).value).toBe(TODAY);
    expect(within(proposal).getByText(/5 sessions, 5 weeks apart/)).toBeTruthy();
    const rows = sessionRows();
    expect(rows.map((r) => r.n)).toEqual(["1", "2", "3", "4", "5"]);
    expect(rows[0].text).toContain("Session 1 of 5");
    // The Rust engine: each session on the open day nearest the previous one + 5 weeks.
    ["2026-03-04", "2026-04-08", "2026-05-13", "2026-06-17", "2026-07-22"].forEach((date, i) =>
      expect(rows[i].text).toContain(weekdayDate(date)),
    );
    const rationale = screen.getByTestId("plan-rationale");
    expect(within(rationale).getByText("5 sessions for Goodman & Baron grade 3 (moderate).")).toBeTruthy();
    expect(within(rationale).getByText("5 weeks between sessions for normal skin.")).toBeTruthy();
  });

  test("a blocked screening shows the backend's reason and no dates, until a practitioner gives a reason", async () => {
    const { user } = await openPlan(["active_infection"]);
    const error = await screen.findByTestId("error-reason");
    expect(error.textContent).toMatch(/^The screening blocks treatment: Active infection or open wound in the area/);
    expect(screen.queryByTestId("plan-proposal")).toBeNull();
    expect(screen.queryByTestId("plan-accept")).toBeNull();

    // The reason field is in view (the Adjust section opened) and takes the override.
    await user.type(screen.getByTestId("plan-override-reason"), "Infection healed, confirmed today{Enter}");
    const proposal = await screen.findByTestId("plan-proposal");
    expect(within(proposal).getByTestId("plan-warnings").textContent).toMatch(
      /overridden by the practitioner: Infection healed, confirmed today/,
    );
  });

  test("an isotretinoin washout moves the start to the first eligible date, and says why", async () => {
    await openPatientTab("plan", { patients: EMMA }, async (backend) => {
      await screenedAndAssessed(backend);
      // A newer screening: isotretinoin stopped on 10 January.
      await screenPatient(backend, await patientId(backend), ["isotretinoin"], { isotretinoin: "2026-01-10" });
    });
    await screen.findByTestId("plan-proposal");
    // Six months' washout from 10 January: Friday 10 July, an open day.
    expect(sessionRows()[0].text).toContain(weekdayDate("2026-07-10"));
    expect(within(screen.getByTestId("plan-rationale")).getByText(/Start moved from 2026-03-04 to 2026-07-10/)).toBeTruthy();
  });

  test("changing the number of sessions without a reason is refused beside the reason field", async () => {
    const { user } = await openPlan();
    await screen.findByTestId("plan-proposal");
    await user.click(screen.getByTestId("plan-adjust"));
    await user.type(screen.getByTestId("plan-override-sessions"), "4");
    // The proposal on screen no longer matches: it cannot be accepted as is.
    expect((screen.getByTestId("plan-accept") as HTMLButtonElement).disabled).toBe(true);
    await user.click(screen.getByTestId("plan-propose"));

    const error = await screen.findByTestId("error-reason");
    expect(error.textContent).toBe("Write the reason for changing the proposed plan.");
    const reason = screen.getByTestId("plan-override-reason");
    expect(reason.getAttribute("aria-invalid")).toBe("true");
    expect(reason.getAttribute("aria-describedby")).toContain(error.id);

    await user.type(reason, "Patient can only come four times{Enter}");
    await waitFor(() => expect(sessionRows()).toHaveLength(4));
    expect(screen.queryByTestId("error-reason")).toBeNull();
    expect(
      within(screen.getByTestId("plan-rationale")).getByText(
        "4 sessions set by the practitioner (proposed 5): Patient can only come four times",
      ),
    ).toBeTruthy();
  });

  test("accepting shows the plan as a timeline with its sessions and maintenance recalls", async () => {
    const { user, backend } = await openPlan(["diabetes"]);
    await screen.findByTestId("plan-proposal");
    expect(within(screen.getByTestId("plan-warnings")).getByText(/Diabetes/)).toBeTruthy();
    // jsdom draws nothing, so it has no scrollIntoView: record which elements are brought into view.
    const scrolled: Element[] = [];
    Element.prototype.scrollIntoView = function (this: Element) {
      scrolled.push(this);
    };
    await user.click(screen.getByTestId("plan-accept"));

    const timeline = await screen.findByTestId("plan-timeline");
    expect(screen.queryByTestId("plan-proposal")).toBeNull();
    expect(within(timeline).getByTestId("plan-status").textContent).toBe("Active");
    const sessions = within(timeline).getAllByTestId("plan-timeline-session");
    expect(sessions.map((s) => s.getAttribute("data-n"))).toEqual(["1", "2", "3", "4", "5"]);
    // The timeline shows the plan the backend stored.
    const [stored] = await backend.call("list_plans", { patient_id: await patientId(backend) });
    expect(stored.status).toBe("active");
    expect(sessions.map((s) => s.getAttribute("data-session-id"))).toEqual(stored.sessions.map((s) => String(s.id)));
    expect(sessions[0].textContent).toContain("Session 1 of 5");
    expect(sessions[0].textContent).toContain(weekdayDate(TODAY));
    expect(within(timeline).getByTestId("plan-maintenance").textContent).toContain(weekdayDate("2026-11-23")); // 4 months on is a Sunday
    expect(within(timeline).getByTestId("plan-warnings").textContent).toMatch(/Diabetes/);
    const notice = screen.getByTestId("plan-notice");
    expect(notice.textContent).toMatch(/Plan accepted: 5 sessions, every 5 weeks/);
    // The confirmation is brought into view and has the focus (the Accept button is gone).
    await waitFor(() => expect(scrolled).toContain(notice));
    expect(document.activeElement).toBe(notice);
  });

  test("pausing asks for a reason in the dialog, then Resume is offered", async () => {
    const { user } = await openPlan();
    await user.click(await screen.findByTestId("plan-accept"));
    await user.click(await screen.findByTestId("plan-pause"));
    const dialog = screen.getByRole("dialog");
    expect(document.activeElement).toBe(within(dialog).getByTestId("plan-status-reason"));
    await user.click(within(dialog).getByRole("button", { name: "Pause plan" }));
    expect(await within(dialog).findByText("Write the reason for this change.")).toBeTruthy();
    await user.type(within(dialog).getByTestId("plan-status-reason"), "Sunburn on holiday{Enter}");
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(screen.getByTestId("plan-status").textContent).toBe("Paused");
    expect(screen.getByTestId("plan-resume")).toBeTruthy();
  });
});

describe("moving a session from the timeline", () => {
  test("too soon after the previous session is refused, naming the earliest date; a valid date re-plans the rest", async () => {
    const { user } = await openPlan();
    await user.click(await screen.findByTestId("plan-accept"));
    await screen.findByTestId("plan-timeline");

    // Session 2 is on 8 April; session 3 may not come before 4 weeks later, 6 May.
    await user.click(screen.getByTestId("session-move-3"));
    const date = screen.getByTestId("session-move-date") as HTMLInputElement;
    expect(date.value).toBe("2026-05-13");
    expect(document.activeElement).toBe(date);
    await user.clear(date);
    await user.type(date, "2026-04-22");
    await user.click(screen.getByTestId("session-move-save"));

    const error = await screen.findByTestId("error-date");
    expect(error.textContent).toBe(
      "Session 3 must be at least 4 weeks after session 2; the earliest allowed date is Wed 2026-05-06.",
    );
    expect(date.getAttribute("aria-invalid")).toBe("true");
    const third = () => screen.getAllByTestId("plan-timeline-session")[2];
    expect(third().textContent).toContain(weekdayDate("2026-05-13"));

    await user.clear(date);
    await user.type(date, "2026-05-06{Enter}");
    await waitFor(() => expect(screen.queryByTestId("session-move-date")).toBeNull());
    const sessions = screen.getAllByTestId("plan-timeline-session");
    expect(sessions[2].textContent).toContain(weekdayDate("2026-05-06"));
    expect(sessions[3].textContent).toContain(weekdayDate("2026-06-10"));
    expect(screen.getByTestId("plan-notice").textContent).toMatch(/Session 3 moved/);
  });
});
