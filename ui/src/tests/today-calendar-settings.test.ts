import { fireEvent, screen, waitFor, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, test } from "vitest";
import { call } from "../lib/backend";
import { readableDate, weekdayDate } from "../lib/format";
import { renderDeskWeek, renderHomeWith } from "./fixtures-desk";
import { ADMIN, TODAY, pinToday } from "./helpers";

beforeEach(() => pinToday());

function columnEntries(date: string): string[] {
  return within(screen.getByTestId(`calendar-day-${date}`))
    .queryAllByTestId("calendar-entry")
    .map((e) => e.textContent?.replace(/\s+/g, " ").trim() ?? "");
}

async function openCalendar() {
  const app = await renderDeskWeek();
  await app.user.click(screen.getByTestId("nav-calendar"));
  await screen.findByTestId("calendar-week");
  await waitFor(() => expect(columnEntries(TODAY)).toHaveLength(2));
  return app;
}

describe("Today", () => {
  test("is the home screen: today's sessions, and the recalls due with phone numbers, overdue marked", async () => {
    const { user } = await renderDeskWeek();
    expect(screen.getByTestId("nav-today").getAttribute("aria-current")).toBe("page");
    const sessions = await screen.findAllByTestId("today-session");
    expect(sessions.map((s) => s.textContent?.replace(/\s+/g, " ").trim())).toEqual([
      expect.stringMatching(/^09:30 María José Fernández López P-000002 (\+34 699 112 233 )?Session 1 of 4 Planned/),
      expect.stringMatching(/^11:00 José García P-000001 (\+34 612 345 678 )?Session 2 of 6 Planned/),
    ]);
    // Each row shows the patient's phone (read from the record: the day's list has none).
    await waitFor(() => expect(sessions[0].textContent).toContain("+34 699 112 233"));

    const recalls = screen.getAllByTestId("today-recall");
    expect(recalls).toHaveLength(2);
    expect(recalls[0].textContent).toContain("Siobhán O'Brien");
    expect(recalls[0].textContent).toContain("+353 87 123 4567");
    expect(within(recalls[0]).getByText("Overdue")).toBeTruthy();
    expect(recalls[0].textContent).toContain(readableDate("2026-03-02"));
    expect(recalls[1].textContent).toContain("Łukasz Kowalski");
    expect(recalls[1].textContent).toContain(`Due ${readableDate("2026-03-09")}`);
    expect(within(recalls[1]).queryByText("Overdue")).toBeNull();

    // A row leads to the record, whose back link returns to Today.
    await user.click(within(sessions[1]).getByTestId("today-open-record"));
    expect((await screen.findByTestId("patient-name")).textContent?.trim()).toBe("José García");
    expect(screen.getByTestId("back-link").textContent).toContain("Today");
    await user.click(screen.getByTestId("back-link"));
    expect(await screen.findByTestId("today-screen")).toBeTruthy();
  });
});

describe("Calendar", () => {
  test("the current week shows each session on its day; the weekend is closed", async () => {
    await openCalendar();
    expect(screen.getByTestId("calendar-range").textContent).toContain(readableDate("2026-03-08"));
    expect(columnEntries("2026-03-02")).toEqual([]);
    expect(columnEntries("2026-03-04")).toEqual([
      "09:30 María José Fernández López Session 1 of 4 P-000002",
      "11:00 José García Session 2 of 6 P-000001",
    ]);
    expect(columnEntries("2026-03-05")).toEqual(["François Dupont Session 1 of 3 P-000004"]);
    expect(columnEntries("2026-03-06")).toEqual(["Zoë Müller Session 3 of 5 P-000003"]);
    // The open days come with the plan settings, which load beside the week.
    for (const closed of ["2026-03-07", "2026-03-08"])
      await waitFor(() => expect(within(screen.getByTestId(`calendar-day-${closed}`)).getByText("Closed")).toBeTruthy());
    expect(within(screen.getByTestId("calendar-day-2026-03-06")).queryByText("Closed")).toBeNull();
  });

  test("next and previous weeks, back to today, and the day view", async () => {
    const { user } = await openCalendar();
    await user.click(screen.getByTestId("calendar-next"));
    await waitFor(() => expect(screen.getByTestId("calendar-day-2026-03-09")).toBeTruthy());
    expect(screen.queryByTestId(`calendar-day-${TODAY}`)).toBeNull();
    await user.click(screen.getByTestId("calendar-today"));
    await waitFor(() => expect(columnEntries(TODAY)).toHaveLength(2));

    await user.click(screen.getByTestId("calendar-view-day"));
    // The day is a time grid: today's two timed sessions are blocks.
    const day = await screen.findByTestId("calendar-day-view");
    await waitFor(() => expect(within(day).getAllByTestId("grid-block")).toHaveLength(2));
    await user.click(screen.getByTestId("calendar-prev"));
    await waitFor(() => expect(within(screen.getByTestId("calendar-day-view")).queryAllByTestId("grid-block")).toHaveLength(0));
  });

  test("moving an appointment with the keyboard path: select it, type the date, and the week reloads", async () => {
    const { user, backend } = await openCalendar();
    const loads = () => backend.calls.filter((c) => c.command === "calendar").length;
    const before = loads();
    const entry = within(screen.getByTestId("calendar-day-2026-03-05")).getByTestId("calendar-entry");
    entry.focus();
    await user.keyboard("{Enter}");
    const date = (await screen.findByTestId("calendar-move-date")) as HTMLInputElement;
    expect(document.activeElement).toBe(date);
    expect(date.value).toBe("2026-03-05");
    await user.clear(date);
    await user.type(date, "20260306");
    await user.click(screen.getByTestId("calendar-move-save"));

    await waitFor(() => expect(columnEntries("2026-03-05")).toEqual([]));
    expect(columnEntries("2026-03-06")).toEqual([
      "François Dupont Session 1 of 3 P-000004",
      "Zoë Müller Session 3 of 5 P-000003",
    ]);
    expect(loads()).toBeGreaterThan(before);
    expect(screen.getByTestId("calendar-notice").textContent).toContain(weekdayDate("2026-03-06"));
    expect(screen.queryByTestId("calendar-error")).toBeNull();
  });

  test("a move too soon after the previous session is refused in a banner naming the earliest date", async () => {
    const { user } = await openCalendar();
    // Zoë's session 2 was four weeks before Friday: Friday is the earliest for session 3.
    await user.click(within(screen.getByTestId("calendar-day-2026-03-06")).getByTestId("calendar-entry"));
    const date = await screen.findByTestId("calendar-move-date");
    await user.clear(date);
    await user.type(date, "2026-03-05{Enter}");
    const error = await screen.findByTestId("calendar-error");
    expect(error.textContent).toContain("2026-03-06");
    expect(columnEntries("2026-03-06")).toEqual(["Zoë Müller Session 3 of 5 P-000003"]);
  });

  test("dragging an appointment to another day moves it", async () => {
    await openCalendar();
    const jose = within(screen.getByTestId(`calendar-day-${TODAY}`))
      .getAllByTestId("calendar-entry")
      .find((e) => e.textContent?.includes("García")) as HTMLElement;
    const id = jose.getAttribute("data-session-id") as string;
    const data = new Map<string, string>();
    const dataTransfer = {
      setData: (k: string, v: string) => data.set(k, v),
      getData: (k: string) => data.get(k) ?? "",
      effectAllowed: "",
      dropEffect: "",
    };
    await fireEvent.dragStart(jose, { dataTransfer });
    expect(data.get("text/plain")).toBe(id);
    const thursday = screen.getByTestId("calendar-day-2026-03-05");
    await fireEvent.dragOver(thursday, { dataTransfer });
    await fireEvent.drop(thursday, { dataTransfer });
    await waitFor(() => expect(columnEntries("2026-03-05")).toHaveLength(2));
    // José keeps his booked time, so he is listed before the unbooked session.
    expect(columnEntries("2026-03-05")[0]).toContain("11:00 José García Session 2 of 6");
    expect(columnEntries(TODAY)).toHaveLength(1);
  });
});

describe("Settings → Plan & calendar", () => {
  test("an admin's changes are checked beside each field, then saved; a closed date greys the calendar", async () => {
    const { user, backend } = await renderDeskWeek();
    await user.click(screen.getByTestId("nav-settings"));
    await screen.findByTestId("settings-plan-form");
    const max = screen.getByTestId("settings-field-max_sessions") as HTMLInputElement;
    expect(max.value).toBe("8");
    expect((screen.getByTestId("settings-field-interval_weeks_normal") as HTMLInputElement).value).toBe("5");
    expect((screen.getByTestId("settings-weekday-sat") as HTMLInputElement).checked).toBe(false);

    await user.clear(max);
    await user.click(screen.getByTestId("settings-save"));
    expect((await screen.findByTestId("error-defaults.max_sessions")).textContent).toBe("Enter a number.");
    await user.type(max, "0");
    await user.clear(screen.getByTestId("settings-field-interval_weeks_normal"));
    await user.type(screen.getByTestId("settings-field-interval_weeks_normal"), "3");
    await user.click(screen.getByTestId("settings-save"));
    expect((await screen.findByTestId("error-defaults.max_sessions")).textContent).toBe("Between 1 and 12 sessions, not 0.");
    expect(screen.getByTestId("error-defaults.shortest_interval_weeks").textContent).toBe(
      "The shortest interval cannot be longer than the usual intervals.",
    );
    expect(document.activeElement).toBe(max);

    await user.clear(max);
    await user.type(max, "8");
    await user.clear(screen.getByTestId("settings-field-interval_weeks_normal"));
    await user.type(screen.getByTestId("settings-field-interval_weeks_normal"), "6");
    await user.click(screen.getByTestId("settings-weekday-sat"));
    await user.type(screen.getByLabelText("Add a closed date"), "20260306{Enter}");
    expect(screen.getAllByTestId("settings-closed-date").map((d) => d.getAttribute("data-date"))).toEqual(["2026-03-06"]);
    await user.click(screen.getByTestId("settings-save"));

    expect(await screen.findByTestId("settings-notice")).toBeTruthy();
    const saved = await backend.call("plan_settings");
    expect(saved.defaults.interval_weeks_normal).toBe(6);
    expect(saved.open_weekdays).toEqual(["mon", "tue", "wed", "thu", "fri", "sat"]);
    expect(saved.closed_dates).toEqual(["2026-03-06"]);

    await user.click(screen.getByTestId("nav-calendar"));
    await screen.findByTestId("calendar-week");
    await waitFor(() => expect(within(screen.getByTestId("calendar-day-2026-03-06")).getByText("Closed")).toBeTruthy());
    expect(within(screen.getByTestId("calendar-day-2026-03-07")).queryByText("Closed")).toBeNull();
  });

  test("a receptionist sees the settings read-only and no clinical records", async () => {
    const { user } = await renderDeskWeek("receptionist");
    await user.click(screen.getByTestId("nav-settings"));
    await screen.findByTestId("settings-plan-form");
    expect(screen.getByTestId("settings-read-only").textContent).toMatch(/Only an admin/);
    expect((screen.getByTestId("settings-field-max_sessions") as HTMLInputElement).matches(":disabled")).toBe(true);
    expect(screen.queryByTestId("settings-save")).toBeNull();
    expect(screen.queryByTestId("settings-closed-date-add")).toBeNull();

    // No clinical screen: no adverse-event register, and a record shows the profile only.
    expect(screen.queryByTestId("nav-adverse-events")).toBeNull();
    await user.click(screen.getByTestId("nav-today"));
    await user.click((await screen.findAllByTestId("today-open-record"))[0]);
    await screen.findByTestId("patient-record");
    const tabs = screen.getAllByRole("tab").filter((t) => !(t as HTMLButtonElement).disabled);
    expect(tabs.map((t) => t.textContent?.trim())).toEqual(["Profile", "Documents"]);
    for (const tab of ["screening", "assessments", "plan", "sessions", "progress", "photos"])
      expect(screen.queryByTestId(`${tab}-tab`)).toBeNull();
    // The backend refuses anyway.
    await expect(call("list_session_records", { patient_id: 1 })).rejects.toMatchObject({ code: "forbidden" });
  });
});

describe("Settings → Screening rules", () => {
  test("an admin makes diabetes block treatment; the next screening follows the new rule", async () => {
    const { user } = await renderDeskWeek();
    await user.click(screen.getByTestId("nav-settings"));
    const kind = (await screen.findByTestId("settings-rule-kind-diabetes")) as HTMLSelectElement;
    expect(kind.value).toBe("warn");
    expect(screen.getByTestId("settings-rule-diabetes").textContent).toContain("Diabetes?");
    // A washout needs its months: an empty one is refused beside the rule.
    const iso = screen.getByTestId("settings-rule-months-isotretinoin") as HTMLInputElement;
    await user.clear(iso);
    await user.click(screen.getByTestId("settings-rules-save"));
    expect(await screen.findByTestId("settings-rules-error")).toBeTruthy();
    expect(within(screen.getByTestId("settings-rule-isotretinoin")).getByRole("alert").textContent).toMatch(/1 to 24 months/);
    await user.type(iso, "6");
    await user.selectOptions(kind, "block");
    await user.click(screen.getByTestId("settings-rules-save"));
    expect(await screen.findByTestId("settings-rules-notice")).toBeTruthy();
    // The screening form now treats diabetes as a block.
    const q = (await call("screening_questions")).find((x) => x.condition === "diabetes");
    expect(q?.kind).toBe("block");
  });
});

describe("Appointment times", () => {
  test("Today lists the sessions in time order; booking a time in the calendar moves the row", async () => {
    const { user } = await renderDeskWeek();
    const times = () => screen.getAllByTestId("today-session-time").map((t) => t.textContent?.trim());
    const sorted = (xs: (string | undefined)[]) => [...xs].sort((a, b) => ((a ?? "~") < (b ?? "~") ? -1 : 1));
    await screen.findAllByTestId("today-session");
    const before = times().filter((t) => t !== "No time");
    expect(before).toEqual(sorted(before));
    // Book the last of today's sessions at 07:45 in the calendar: it comes first.
    const last = screen.getAllByTestId("today-session").at(-1)!;
    const id = last.getAttribute("data-session-id");
    await user.click(screen.getByTestId("nav-calendar"));
    const entry = (await screen.findAllByTestId("calendar-entry")).find((e) => e.getAttribute("data-session-id") === id)!;
    await user.click(entry);
    const time = await screen.findByTestId("calendar-time");
    await user.clear(time);
    await user.type(time, "7:99");
    await user.click(screen.getByTestId("calendar-time-save"));
    expect((await screen.findByTestId("error-time")).textContent).toMatch(/HH:MM/);
    await user.clear(time);
    await user.type(time, "07:45");
    await user.click(screen.getByTestId("calendar-time-save"));
    expect((await screen.findByTestId("calendar-notice")).textContent).toMatch(/booked at 07:45/);
    await user.click(screen.getByTestId("nav-today"));
    await waitFor(() => expect(screen.getAllByTestId("today-session")[0].getAttribute("data-session-id")).toBe(id));
    expect(times()[0]).toBe("07:45");
  });
});

describe("Backup warning", () => {
  test("Today warns when there has been no good backup for a week, and not before", async () => {
    // A backup made on Friday 02-20; six days later Today is quiet.
    pinToday("2026-02-26");
    const { user, backend } = await renderHomeWith({}, async (b) => {
      await b.setToday("2026-02-20");
      await b.call("backup_now", { folder: await b.folder() });
      await b.setToday("2026-02-26"); // moving the clock on locks, as idle time would
      await b.call("unlock_app", { password: ADMIN.password });
    });
    await screen.findByTestId("today-no-sessions");
    expect(screen.queryByTestId("backup-warning")).toBeNull();

    // Twelve days after it, the warning shows.
    await backend.settled();
    pinToday(TODAY);
    await backend.setToday(TODAY);
    await backend.call("unlock_app", { password: ADMIN.password });
    await user.click(screen.getByTestId("today-refresh"));
    const warning = await screen.findByTestId("backup-warning");
    expect(warning.textContent).toMatch(/No good backup for 12 days/);
  });
});
