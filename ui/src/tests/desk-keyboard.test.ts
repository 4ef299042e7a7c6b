// The front desk from the keyboard (issue 22): focus never falls to <body>
// after a calendar move, Book time, a plan move or a plan's Pause; a skip link
// past the header; Esc on a half-typed new patient asks before discarding; the
// plan header names the first session's date. (Check in, Undo, the prints and
// unlocking: reception.test.ts and idle-lock.test.ts.)
import { screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, test } from "vitest";
import { renderDeskWeek } from "./fixtures-desk";
import { acceptPlan, assess, patientId, screenPatient } from "./fixtures-treatment";
import { TODAY, openPatientTab, pinToday, renderSignedIn } from "./helpers";

const text = (el: Element) => (el.textContent ?? "").replace(/\s+/g, " ").trim();

/** Focus is on a control of the screen: not <body>, not a removed element. */
function expectFocusKept(): HTMLElement {
  const a = document.activeElement as HTMLElement | null;
  expect(a, "focus fell to the page").not.toBe(document.body);
  expect(a?.isConnected).toBe(true);
  return a as HTMLElement;
}

describe("focus stays on the screen after the desk's actions", () => {
  test("calendar: Book time, then a move, each leave the focus on their confirmation; Esc on a move goes back to the appointment", async () => {
    pinToday();
    const { user } = await renderDeskWeek("receptionist");
    await user.click(screen.getByTestId("nav-calendar"));
    await screen.findByTestId("calendar-week");
    const entry = () => screen.getAllByTestId("calendar-entry").find((e) => /François Dupont/.test(text(e)))!;
    await waitFor(() => expect(entry()).toBeTruthy());

    // Book time, from the keyboard.
    entry().focus();
    await user.keyboard("{Enter}");
    const time = await screen.findByTestId("calendar-time");
    await user.click(time);
    await user.clear(time);
    await user.type(time, "14:30");
    screen.getByTestId("calendar-time-save").focus();
    await user.keyboard("{Enter}");
    const booked = await screen.findByTestId("calendar-notice");
    expect(text(booked)).toMatch(/François Dupont is booked at 14:30/);
    await waitFor(() => expect(expectFocusKept()).toBe(screen.getByTestId("calendar-notice")));

    // Esc in the move form: back on the appointment it was about.
    entry().focus();
    await user.keyboard("{Enter}");
    const date = await screen.findByTestId("calendar-move-date");
    await waitFor(() => expect(document.activeElement).toBe(date));
    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByTestId("calendar-selected")).toBeNull());
    await waitFor(() => expect(expectFocusKept()).toBe(entry()));

    // A move, typed and saved with Enter.
    await user.keyboard("{Enter}");
    const move = await screen.findByTestId("calendar-move-date");
    await user.clear(move);
    await user.type(move, "2026-03-06{Enter}");
    expect(text(await screen.findByTestId("calendar-notice"))).toMatch(/moved to/);
    await waitFor(() => expect(expectFocusKept()).toBe(screen.getByTestId("calendar-notice")));
  });

  test("plan: a move and a Pause leave the focus on the plan's confirmation", async () => {
    pinToday();
    const { user } = await openPatientTab("plan", { patients: [{ first_name: "Ana", last_name: "Lima" }] }, async (backend) => {
      const id = await patientId(backend, "Ana Lima");
      await screenPatient(backend, id);
      const a = await assess(backend, id);
      await acceptPlan(backend, id, a.id);
    });
    const move = await screen.findByTestId("session-move-2");
    move.focus();
    await user.keyboard("{Enter}");
    const date = await screen.findByTestId("session-move-date");
    const planned = date.closest("[data-testid=plan-timeline-session]")!.getAttribute("data-date")!;
    const later = new Date(`${planned}T12:00:00Z`);
    later.setUTCDate(later.getUTCDate() + 7);
    await user.clear(date);
    await user.type(date, `${later.toISOString().slice(0, 10)}{Enter}`);
    const notice = await screen.findByTestId("plan-notice");
    expect(text(notice)).toMatch(/Session 2 moved/);
    await waitFor(() => expect(expectFocusKept()).toBe(screen.getByTestId("plan-notice")));

    screen.getByTestId("plan-pause").focus();
    await user.keyboard("{Enter}");
    const dialog = await screen.findByRole("dialog");
    const reason = within(dialog).queryByRole("textbox");
    if (reason) await user.type(reason, "Patient travelling");
    await user.click(within(dialog).getAllByRole("button").find((b) => /Pause plan/.test(text(b)))!);
    await screen.findByTestId("plan-resume");
    await waitFor(() => expectFocusKept());
  });
});

describe("skip link and Esc", () => {
  test("the first Tab reaches 'Skip to main content', which moves the focus past the header", async () => {
    const { user } = await renderSignedIn({ patients: [{ first_name: "Ana", last_name: "Lima" }] });
    await screen.findByTestId("patient-search");
    (document.activeElement as HTMLElement | null)?.blur();
    await user.tab();
    const skip = screen.getByTestId("skip-link");
    expect(document.activeElement).toBe(skip);
    expect(text(skip)).toBe("Skip to main content");
    await user.keyboard("{Enter}");
    expect(document.activeElement).toBe(document.getElementById("main-content"));
    await user.tab();
    // The next stop is on the screen, not in the header.
    expect(document.querySelector("header.app-header")?.contains(document.activeElement)).toBe(false);
  });

  test("Esc on a half-typed new patient asks; Keep editing keeps the typing; Discard leaves", async () => {
    const { user } = await renderSignedIn({ patients: [{ first_name: "Ana", last_name: "Lima" }] });
    await user.click(screen.getByTestId("nav-patients"));
    await user.click(await screen.findByTestId("new-patient"));
    const first = await screen.findByTestId("patient-first-name");
    await user.type(first, "Zoë");
    await user.keyboard("{Escape}");
    const dialog = await screen.findByRole("dialog");
    expect(text(dialog)).toMatch(/Leave without saving\?/);
    await user.click(within(dialog).getByRole("button", { name: "Keep editing" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect((screen.getByTestId("patient-first-name") as HTMLInputElement).value).toBe("Zoë");

    await user.keyboard("{Escape}");
    await user.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Discard changes" }));
    await screen.findByTestId("patient-search");
    expect(screen.queryByTestId("patient-form")).toBeNull();
  });

  test("Esc on an untouched new patient form leaves at once", async () => {
    const { user } = await renderSignedIn({ patients: [{ first_name: "Ana", last_name: "Lima" }] });
    await user.click(screen.getByTestId("nav-patients"));
    await user.click(await screen.findByTestId("new-patient"));
    await screen.findByTestId("patient-first-name");
    await user.keyboard("{Escape}");
    await screen.findByTestId("patient-search");
    expect(screen.queryByRole("dialog")).toBeNull();
  });
});

describe("plan header", () => {
  test("'From' is the first session's date, not the day the plan was made from", async () => {
    pinToday();
    let firstSession = "";
    await openPatientTab("plan", { patients: [{ first_name: "Ana", last_name: "Lima" }] }, async (backend) => {
      const id = await patientId(backend, "Ana Lima");
      // Isotretinoin stopped a month ago: the clinic's washout puts session 1 months after today.
      await screenPatient(backend, id, ["isotretinoin"], { isotretinoin: "2026-02-01" });
      const a = await assess(backend, id);
      const plan = await acceptPlan(backend, id, a.id, TODAY);
      firstSession = plan.sessions[0].date;
      expect(firstSession > TODAY).toBe(true);
    });
    const timeline = await screen.findByTestId("plan-timeline");
    const sub = text(timeline.querySelector(".sub")!);
    // In the clinic's date format (ISO while the tests pin the locale): session 1's day.
    expect(sub).toMatch(new RegExp(`^From ${firstSession} ·`));
    expect(sub).not.toContain(TODAY);
  });
});
