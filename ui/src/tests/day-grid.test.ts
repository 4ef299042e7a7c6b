// The calendar's day grid against the real backend: two practitioners'
// columns, blocks sized by length, keyboard moves and resizes the backend
// decides, the next free slot, booking for an existing patient.
import { act, render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, test } from "vitest";
import App from "../lib/components/App.svelte";
import type { Booking } from "../lib/bindings/Booking";
import { SESSION_ONE, acceptPlan, assess, patientId, screenPatient } from "./fixtures-treatment";
import { stopLive } from "../lib/live.svelte";
import { TODAY, openPatientTab, pinToday, startBackend, type TestBackend } from "./helpers";

beforeEach(() => pinToday());

const PEOPLE = [
  { first_name: "José", last_name: "García", date_of_birth: "1991-03-14" },
  { first_name: "Zoë", last_name: "Müller", date_of_birth: "1996-07-21" },
  { first_name: "Ayşe", last_name: "Yılmaz", date_of_birth: "1990-12-01" },
];

type Clinic = { backend: TestBackend; amira: number; ben: number; room1: number; room2: number; ids: number[] };

/** Two practitioners (the admin and Dr Ben Okafor), two rooms, three patients. */
async function clinic(): Promise<Clinic> {
  const backend = await startBackend({ signed_in_as: "admin", patients: PEOPLE });
  await backend.call("create_user", {
    input: { username: "ben", display_name: "Dr Ben Okafor", password: "violet tractor summer pebble", roles: ["practitioner"] },
  });
  const room1 = (await backend.call("add_room", { name: "Room 1" })).id;
  const room2 = (await backend.call("add_room", { name: "Room 2" })).id;
  const practitioners = await backend.call("list_practitioners");
  const amira = practitioners.find((p) => p.name === "Dr Amira Haddad")?.id as number;
  const ben = practitioners.find((p) => p.name === "Dr Ben Okafor")?.id as number;
  const page = await backend.call("search_patients", { search: { query: "", include_archived: false, offset: 0, limit: 10 } });
  const ids = PEOPLE.map((p) => page.items.find((i) => i.last_name === p.last_name)?.id as number);
  return { backend, amira, ben, room1, room2, ids };
}

async function book(c: Clinic, patient: number, time: string, minutes: number, practitioner: number, room: number, kind = "consultation") {
  return c.backend.call("book_appointment", {
    input: { patient_id: patient, kind, date: TODAY, time, minutes, numbing_minutes: null, practitioner_id: practitioner, room_id: room },
  });
}

async function openDay(_c: Clinic) {
  const user = userEvent.setup();
  render(App);
  await screen.findByTestId("today-screen");
  await user.click(screen.getByTestId("nav-calendar"));
  await user.click(await screen.findByTestId("calendar-view-day"));
  await screen.findByTestId("calendar-day-grid");
  return user;
}

function block(name: string): HTMLElement {
  const found = screen.getAllByTestId("grid-block").find((b) => b.textContent?.includes(name));
  if (!found) throw new Error(`no block for ${name}`);
  return found;
}

/** A pointer event (jsdom has no PointerEvent: a MouseEvent of that type carries the coordinates). */
function pointer(target: EventTarget, type: string, clientX: number, clientY: number): Promise<void> {
  return act(() => {
    target.dispatchEvent(new MouseEvent(type, { bubbles: true, button: 0, clientX, clientY }));
  });
}

async function bookingOf(c: Clinic, key: Booking["key"]): Promise<Booking | undefined> {
  const all = await c.backend.call("bookings", { from: TODAY, to: TODAY });
  return all.find((b) => JSON.stringify(b.key) === JSON.stringify(key));
}

describe("Day grid", () => {
  test("a column per practitioner, blocks sized by length with the numbing part, practitioner or room toggle", async () => {
    const c = await clinic();
    await book(c, c.ids[0], "09:00", 30, c.amira, c.room1);
    await book(c, c.ids[1], "09:00", 60, c.ben, c.room2);
    const user = await openDay(c);
    await waitFor(() => expect(screen.getAllByTestId("grid-block")).toHaveLength(2));
    const heads = screen.getAllByTestId("grid-column-head").map((h) => h.textContent ?? "");
    expect(heads).toEqual([expect.stringContaining("Dr Amira Haddad"), expect.stringContaining("Dr Ben Okafor")]);

    const jose = block("García");
    const zoe = block("Müller");
    expect(jose.dataset.column).toBe("Dr Amira Haddad");
    expect(zoe.dataset.column).toBe("Dr Ben Okafor");
    expect(jose.textContent).toContain("09:00–09:30");
    expect(jose.textContent).toContain("P-000001");
    expect(jose.textContent).toContain("Room 1");
    expect(zoe.textContent).toContain("09:00–10:00");
    // Sized by length: the 60-minute block is twice the 30-minute one.
    expect(parseFloat(zoe.style.height)).toBeCloseTo(2 * parseFloat(jose.style.height));

    await user.click(screen.getByTestId("grid-by-room"));
    await waitFor(() =>
      expect(screen.getAllByTestId("grid-column-head").map((h) => h.textContent?.trim())).toEqual(["Room 1", "Room 2"]),
    );
    expect(block("Müller").textContent).toContain("Dr Ben Okafor");
  });

  test("a session's numbing part is shaded and labelled", async () => {
    const c = await clinic();
    const kinds = await c.backend.call("appointment_kinds");
    const withNumbing = kinds.find((k) => k.numbing_minutes > 0 && k.key !== "session");
    if (withNumbing) {
      await book(c, c.ids[0], "10:00", withNumbing.minutes, c.amira, c.room1, withNumbing.key);
    } else {
      const b = await book(c, c.ids[0], "10:00", 60, c.amira, c.room1);
      await c.backend.call("move_booking", {
        key: b.key,
        to: { date: "", time: "", minutes: 60, numbing_minutes: 20, practitioner_id: null, room_id: null },
      });
    }
    await openDay(c);
    await waitFor(() => expect(screen.getAllByTestId("grid-block")).toHaveLength(1));
    const numbing = within(block("García")).getByTestId("grid-numbing");
    expect(numbing.textContent).toMatch(/Numbing \d+ min/);
  });

  test("arrow keys move a block by 15 minutes and a column; Enter commits and the backend's bookings say so", async () => {
    const c = await clinic();
    const b = await book(c, c.ids[0], "09:00", 30, c.amira, c.room1);
    const user = await openDay(c);
    await waitFor(() => expect(screen.getAllByTestId("grid-block")).toHaveLength(1));
    block("García").focus();
    await user.keyboard("{ArrowDown}{ArrowDown}{ArrowRight}");
    expect(screen.getByTestId("grid-pending").textContent).toContain("09:30–10:00");
    expect(screen.getByTestId("grid-pending").textContent).toContain("Dr Ben Okafor");
    // Nothing is sent before Enter.
    expect((await bookingOf(c, b.key))?.time).toBe("09:00");
    await user.keyboard("{Enter}");
    await waitFor(() => expect(block("García").dataset.time).toBe("09:30"));
    const moved = await bookingOf(c, b.key);
    expect(moved?.time).toBe("09:30");
    expect(moved?.practitioner_name).toBe("Dr Ben Okafor");
    expect(block("García").dataset.column).toBe("Dr Ben Okafor");
    expect(document.activeElement).toBe(block("García"));

    // Escape leaves it where it is.
    await user.keyboard("{ArrowDown}{Escape}");
    expect(screen.queryByTestId("grid-pending")).toBeNull();
    expect((await bookingOf(c, b.key))?.time).toBe("09:30");
  });

  test("a move onto a clash is refused: the backend's sentence, the block back in place, its next free slot on offer", async () => {
    const c = await clinic();
    const jose = await book(c, c.ids[0], "09:00", 30, c.amira, c.room1);
    await book(c, c.ids[1], "09:30", 30, c.amira, c.room2);
    const user = await openDay(c);
    await waitFor(() => expect(screen.getAllByTestId("grid-block")).toHaveLength(2));
    block("García").focus();
    await user.keyboard("{ArrowDown}{ArrowDown}{Enter}");
    const alert = await screen.findByTestId("grid-conflict");
    expect(alert.textContent).toContain("P-000002");
    expect(alert.textContent).toContain("09:30");
    expect(block("García").dataset.time).toBe("09:00");
    expect((await bookingOf(c, jose.key))?.time).toBe("09:00");
    expect(document.activeElement).toBe(block("García"));

    // The same refusal straight from the backend: the sentence shown verbatim,
    // the next free slot carried as data (not read back out of the sentence).
    const to = { date: "", time: "09:30", minutes: null, numbing_minutes: null, practitioner_id: null, room_id: null };
    const refusal = (await c.backend.call("move_booking", { key: jose.key, to }).then(
      () => null,
      (e: unknown) => e,
    )) as { code: string; message: string; slot?: { date: string; time: string; practitioner_id: number; room_id: number } } | null;
    expect(refusal?.code).toBe("conflict");
    expect(within(alert).getByText(refusal?.message ?? "-")).toBeTruthy();
    const slot = refusal?.slot;
    expect(slot).toMatchObject({ date: TODAY, practitioner_id: c.amira, room_id: c.room1 });

    const take = within(alert).getByTestId("grid-take-slot");
    expect(take.textContent).toContain(`${slot?.date} at ${slot?.time}`);
    c.backend.calls.length = 0;
    await user.click(take);
    await waitFor(() => expect(block("García").dataset.time).toBe(slot?.time));
    const sent = c.backend.calls.find((x) => x.command === "move_booking")?.args.to as Record<string, unknown>;
    expect(sent).toMatchObject({ date: slot?.date, time: slot?.time, practitioner_id: slot?.practitioner_id, room_id: slot?.room_id });
    expect((await bookingOf(c, jose.key))?.time).toBe(slot?.time);
    expect(screen.queryByTestId("grid-conflict")).toBeNull();
  });

  test("a session recorded meanwhile (another PC) cannot move: who recorded it and when, and 'Reload the day'", async () => {
    const c = await clinic();
    const id = c.ids[0];
    await screenPatient(c.backend, id);
    const a = await assess(c.backend, id);
    const plan = await acceptPlan(c.backend, id, a.id);
    const key = { session: plan.sessions[0].id };
    await c.backend.call("move_booking", {
      key,
      to: { date: "", time: "09:00", minutes: null, numbing_minutes: null, practitioner_id: c.amira, room_id: c.room1 },
    });
    const user = await openDay(c);
    await waitFor(() => expect(screen.getAllByTestId("grid-block")).toHaveLength(1));
    // The screen's live reload is held back: the grid still shows the session as booked.
    stopLive();
    await c.backend.call("record_session", { planned_session_id: plan.sessions[0].id, input: SESSION_ONE });
    block("García").focus();
    await user.keyboard("{ArrowDown}{ArrowDown}{Enter}");
    const alert = await screen.findByTestId("grid-conflict");
    expect(alert.textContent).toMatch(/admin recorded this session at \d\d:\d\d; it can no longer move\. Reload to see the day as it is now\./);
    // Nothing of the record (depths, device, notes) is in the sentence.
    expect(alert.textContent).not.toMatch(/mm|Dermapen|EMLA|Tolerated/);
    expect((await bookingOf(c, key))?.time).toBe("09:00");
    c.backend.calls.length = 0;
    await user.click(within(alert).getByTestId("grid-reload"));
    await waitFor(() => expect(screen.queryByTestId("grid-conflict")).toBeNull());
    await waitFor(() => expect(c.backend.calls.some((x) => x.command === "day_view")).toBe(true));
  });

  test("a booking moved on another PC since the grid showed it: the move is refused naming who and when, 'Reload the day' snaps the block to where they put it", async () => {
    const c = await clinic();
    const b = await book(c, c.ids[0], "09:00", 30, c.amira, c.room1);
    expect(b.version).toBe(1);
    const user = await openDay(c);
    await waitFor(() => expect(screen.getAllByTestId("grid-block")).toHaveLength(1));
    // The screen's live reload is held back: the grid still shows version 1 at 09:00.
    stopLive();
    // The other PC moves it to 11:00 from the same version.
    const elsewhere = { date: "", time: "11:00", minutes: null, numbing_minutes: null, practitioner_id: null, room_id: null };
    await c.backend.call("move_booking", { key: b.key, version: 1, to: elsewhere });
    c.backend.calls.length = 0;
    block("García").focus();
    await user.keyboard("{ArrowDown}{ArrowDown}{Enter}");
    const alert = await screen.findByTestId("grid-conflict");
    expect(alert.textContent).toMatch(
      new RegExp(`admin changed this booking at \\d\\d:\\d\\d, while you were editing\\. Reload to see their change, then make yours again\\. It is now on ${TODAY} at 11:00, Room 1\\.`),
    );
    // The grid sent the version it showed; the last write did not win.
    expect(c.backend.calls.find((x) => x.command === "move_booking")?.args.version).toBe(1);
    expect((await bookingOf(c, b.key))?.time).toBe("11:00");
    expect(within(alert).queryByTestId("grid-take-slot")).toBeNull();
    await user.click(within(alert).getByTestId("grid-reload"));
    await waitFor(() => expect(screen.queryByTestId("grid-conflict")).toBeNull());
    await waitFor(() => expect(block("García").dataset.time).toBe("11:00"));
    // Made again on the day as it is now, the move goes through with version 2.
    c.backend.calls.length = 0;
    block("García").focus();
    await user.keyboard("{ArrowDown}{ArrowDown}{Enter}");
    await waitFor(() => expect(block("García").dataset.time).toBe("11:30"));
    expect(c.backend.calls.find((x) => x.command === "move_booking")?.args.version).toBe(2);
    expect((await bookingOf(c, b.key))?.version).toBe(3);
  });

  test("cancelling a booking changed on another PC meanwhile is refused with who and when and cancels nothing", async () => {
    const c = await clinic();
    const b = await book(c, c.ids[0], "09:00", 30, c.amira, c.room1);
    const user = await openDay(c);
    await waitFor(() => expect(screen.getAllByTestId("grid-block")).toHaveLength(1));
    stopLive();
    await c.backend.call("set_running_late", { key: b.key, version: 1, late: true });
    block("García").focus();
    await user.keyboard("{Enter}");
    await user.click(await screen.findByTestId("grid-cancel"));
    await user.click(screen.getByTestId("grid-cancel-confirm"));
    const alert = await screen.findByTestId("grid-conflict");
    expect(alert.textContent).toMatch(/admin changed this booking at \d\d:\d\d/);
    expect((await bookingOf(c, b.key))?.running_late).toBe(true);
    await user.click(within(alert).getByTestId("grid-reload"));
    await waitFor(() => expect(screen.queryByTestId("grid-conflict")).toBeNull());
    expect(screen.getAllByTestId("grid-block")).toHaveLength(1);
  });

  test("Shift+Down lengthens a block by 15 minutes", async () => {
    const c = await clinic();
    const b = await book(c, c.ids[0], "09:00", 30, c.amira, c.room1);
    const user = await openDay(c);
    await waitFor(() => expect(screen.getAllByTestId("grid-block")).toHaveLength(1));
    block("García").focus();
    await user.keyboard("{Shift>}{ArrowDown}{/Shift}{Enter}");
    await waitFor(() => expect(block("García").dataset.minutes).toBe("45"));
    expect((await bookingOf(c, b.key))?.minutes).toBe(45);
    expect(c.backend.calls.some((x) => x.command === "resize_booking")).toBe(true);
  });

  test("dragging a block down by two rows moves it 30 minutes; dragging its bottom edge lengthens it", async () => {
    const c = await clinic();
    const b = await book(c, c.ids[0], "09:00", 30, c.amira, c.room1);
    await openDay(c);
    await waitFor(() => expect(screen.getAllByTestId("grid-block")).toHaveLength(1));
    // 1.6 px a minute: a 15-minute row is 24 px.
    const jose = block("García");
    await pointer(jose, "pointerdown", 300, 100);
    await pointer(window, "pointermove", 300, 148);
    await pointer(window, "pointerup", 300, 148);
    await waitFor(() => expect(block("García").dataset.time).toBe("09:30"));
    expect((await bookingOf(c, b.key))?.time).toBe("09:30");

    const edge = block("García").querySelector(".resize") as HTMLElement;
    await pointer(edge, "pointerdown", 300, 200);
    await pointer(window, "pointermove", 300, 224);
    await pointer(window, "pointerup", 300, 224);
    await waitFor(() => expect(block("García").dataset.minutes).toBe("45"));
    expect((await bookingOf(c, b.key))?.minutes).toBe(45);
    expect((await bookingOf(c, b.key))?.time).toBe("09:30");
  });

  test("find the next free slot, then book it for an existing patient", async () => {
    const c = await clinic();
    await book(c, c.ids[0], "09:00", 60, c.ben, c.room1);
    const user = await openDay(c);
    await waitFor(() => expect(screen.getAllByTestId("grid-block")).toHaveLength(1));
    await user.selectOptions(screen.getByTestId("slot-practitioner"), String(c.ben));
    await user.clear(screen.getByTestId("slot-minutes"));
    await user.type(screen.getByTestId("slot-minutes"), "30");
    await user.click(screen.getByTestId("slot-find"));
    const result = await screen.findByTestId("slot-result");
    await waitFor(() => expect(result.textContent).toContain(`${TODAY} at 10:00`));
    expect(result.textContent).toContain("Dr Ben Okafor");

    await user.click(within(result).getByTestId("slot-book"));
    await screen.findByTestId("booking-dialog");
    expect((screen.getByTestId("booking-time") as HTMLInputElement).value).toBe("10:00");
    await user.type(screen.getByTestId("booking-patient-query"), "Yılmaz");
    await user.click(await screen.findByTestId("booking-patient-option"));
    await user.selectOptions(screen.getByTestId("booking-kind"), "review");
    await user.click(screen.getByTestId("booking-save"));
    await waitFor(() => expect(screen.queryByTestId("booking-dialog")).toBeNull());
    await waitFor(() => expect(block("Yılmaz").dataset.column).toBe("Dr Ben Okafor"));
    const all = await c.backend.call("bookings", { from: TODAY, to: TODAY });
    const ayse = all.find((b) => b.last_name === "Yılmaz");
    expect(ayse?.time).toBe("10:00");
    expect(ayse?.kind).toBe("review");
    expect(ayse?.practitioner_name).toBe("Dr Ben Okafor");
  });

  test("a clashing booking in the dialog shows the backend's sentence and books nothing", async () => {
    const c = await clinic();
    await book(c, c.ids[0], "09:00", 60, c.amira, c.room1);
    const user = await openDay(c);
    await user.click(screen.getByTestId("grid-book"));
    await screen.findByTestId("booking-dialog");
    await user.type(screen.getByTestId("booking-patient-query"), "Müller");
    await user.click(await screen.findByTestId("booking-patient-option"));
    await user.selectOptions(screen.getByTestId("booking-practitioner"), String(c.amira));
    await user.type(screen.getByTestId("booking-time"), "09:15");
    await user.click(screen.getByTestId("booking-save"));
    const error = await screen.findByTestId("booking-error");
    expect(error.textContent).toContain("P-000001");
    expect((await c.backend.call("bookings", { from: TODAY, to: TODAY })).length).toBe(1);

    // The refusal carries its next free slot as data: "Take …" books exactly that.
    const take = screen.getByTestId("booking-take-slot");
    expect(take.textContent).toContain(`${TODAY} at 10:00`);
    expect(take.textContent).toContain("Dr Amira Haddad");
    await user.click(take);
    await waitFor(() => expect(screen.queryByTestId("booking-dialog")).toBeNull());
    const sent = c.backend.calls.filter((x) => x.command === "book_appointment").at(-1)?.args.input as Record<string, unknown>;
    expect(sent).toMatchObject({ date: TODAY, time: "10:00", practitioner_id: c.amira });
    const zoe = (await c.backend.call("bookings", { from: TODAY, to: TODAY })).find((b) => b.last_name === "Müller");
    expect(zoe?.time).toBe("10:00");
    expect(zoe?.practitioner_name).toBe("Dr Amira Haddad");
  });

  test("cancelling an appointment removes its block", async () => {
    const c = await clinic();
    const b = await book(c, c.ids[0], "09:00", 30, c.amira, c.room1);
    const user = await openDay(c);
    await waitFor(() => expect(screen.getAllByTestId("grid-block")).toHaveLength(1));
    block("García").focus();
    await user.keyboard("{Enter}");
    await user.click(await screen.findByTestId("grid-cancel"));
    await user.click(screen.getByTestId("grid-cancel-confirm"));
    await waitFor(() => expect(screen.queryAllByTestId("grid-block")).toHaveLength(0));
    expect(await bookingOf(c, b.key)).toBeUndefined();
  });
});

describe("Today with practitioners and rooms", () => {
  test("each appointment shows its practitioner and room; a filter to one practitioner; running late shows on the grid", async () => {
    const c = await clinic();
    await book(c, c.ids[0], "09:00", 30, c.amira, c.room1);
    await book(c, c.ids[1], "10:00", 15, c.ben, c.room2, "review");
    const user = userEvent.setup();
    render(App);
    await screen.findByTestId("today-screen");
    await waitFor(() => expect(screen.getAllByTestId("today-where")).toHaveLength(2));
    const rows = () =>
      [...screen.getAllByTestId("today-where")].map((w) => w.closest("li")?.textContent?.replace(/\s+/g, " ") ?? "");
    expect(rows()[0]).toMatch(/09:00 José García.*Dr Amira Haddad · Room 1 · 30 min/);
    expect(rows()[1]).toMatch(/10:00 Zoë Müller.*Review.*Dr Ben Okafor · Room 2 · 15 min/);

    await user.selectOptions(screen.getByTestId("today-practitioner-filter"), String(c.ben));
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]).toContain("Zoë Müller");
    expect(screen.getByTestId("today-count").textContent).toBe("1");

    const late = screen.getByTestId("today-running-late");
    await user.click(late);
    await screen.findByTestId("today-late");
    expect(document.activeElement?.getAttribute("data-testid")).toBe("today-running-late");
    const all = await c.backend.call("bookings", { from: TODAY, to: TODAY });
    expect(all.find((b) => b.last_name === "Müller")?.running_late).toBe(true);
    expect(all.find((b) => b.last_name === "García")?.running_late).toBe(false);

    // The practitioner's view (the day grid) shows the flag.
    await user.click(screen.getByTestId("nav-calendar"));
    await user.click(await screen.findByTestId("calendar-view-day"));
    await waitFor(() => expect(within(block("Müller")).getByTestId("grid-late")).toBeTruthy());
    expect(within(block("García")).queryByTestId("grid-late")).toBeNull();
  });
});

describe("Week view", () => {
  test("every booking kind shows on its day, read-only, in time order with practitioner and room", async () => {
    const c = await clinic();
    await book(c, c.ids[0], "11:00", 15, c.ben, c.room2, "review");
    await book(c, c.ids[1], "09:00", 30, c.amira, c.room1);
    const user = userEvent.setup();
    render(App);
    await screen.findByTestId("today-screen");
    await user.click(screen.getByTestId("nav-calendar"));
    const day = await screen.findByTestId(`calendar-day-${TODAY}`);
    await waitFor(() => expect(within(day).getAllByTestId("calendar-visit")).toHaveLength(2));
    const [first, second] = within(day).getAllByTestId("calendar-visit");
    expect(first.textContent).toContain("09:00");
    expect(first.textContent).toContain("Müller");
    expect(first.textContent).toContain("First consultation, 30 min");
    expect(first.textContent).toContain("Dr Amira Haddad · Room 1");
    expect(second.textContent).toContain("11:00");
    expect(second.textContent).toContain("García");
    expect(second.textContent).toContain("Review, 15 min");
    expect(second.textContent).toContain("Dr Ben Okafor · Room 2");
    // Read-only: nothing to press or drag (visits move on the day's grid).
    for (const v of [first, second]) {
      expect(v.tagName).not.toBe("BUTTON");
      expect(v.getAttribute("draggable")).toBeNull();
      expect(v.querySelector("button")).toBeNull();
    }
  });
});

describe("Week grid", () => {
  test("each day is a compact grid per practitioner; Enter on a block opens its day", async () => {
    const c = await clinic();
    await book(c, c.ids[0], "09:00", 30, c.amira, c.room1);
    await book(c, c.ids[1], "11:00", 15, c.ben, c.room2, "review");
    const user = userEvent.setup();
    render(App);
    await screen.findByTestId("today-screen");
    await user.click(screen.getByTestId("nav-calendar"));
    await user.click(await screen.findByTestId("calendar-view-weekgrid"));
    const wednesday = await screen.findByTestId(`grid-day-${TODAY}`);
    await waitFor(() => expect(within(wednesday).getAllByTestId("grid-block")).toHaveLength(2));
    expect(within(wednesday).getAllByTestId("grid-column-head").map((h) => h.textContent?.trim())).toEqual([
      "Dr Amira Haddad",
      "Dr Ben Okafor",
    ]);
    expect(within(screen.getByTestId("grid-day-2026-03-05")).queryAllByTestId("grid-block")).toHaveLength(0);
    within(wednesday).getAllByTestId("grid-block")[1].focus();
    await user.keyboard("{Enter}");
    await screen.findByTestId("calendar-day-grid");
    await waitFor(() => expect(block("Müller").dataset.column).toBe("Dr Ben Okafor"));
  });
});

describe("Settings → Rooms & hours", () => {
  test("an admin adds, renames and retires a room and gives a practitioner a shorter Wednesday, which the day grid's data follows", async () => {
    const c = await clinic();
    const user = userEvent.setup();
    render(App);
    await screen.findByTestId("today-screen");
    await user.click(screen.getByTestId("nav-settings"));
    const panel = await screen.findByTestId("settings-scheduling");
    await waitFor(() => expect(within(panel).getAllByTestId("settings-room")).toHaveLength(2));
    await user.type(within(panel).getByTestId("settings-room-new"), "Laser room");
    await user.click(within(panel).getByTestId("settings-room-add"));
    await waitFor(() => expect(within(panel).getAllByTestId("settings-room")).toHaveLength(3));
    const roomRow = (value: string) =>
      waitFor(() => {
        const found = within(panel)
          .getAllByTestId("settings-room")
          .find((r) => (r.querySelector("input") as HTMLInputElement).value === value);
        if (!found) throw new Error(`no row for ${value}`);
        return found;
      });
    const first = await roomRow("Room 1");
    const name = within(first).getByTestId("settings-room-name");
    await user.clear(name);
    await user.type(name, "Treatment room A");
    await user.click(within(first).getByTestId("settings-room-rename"));
    await waitFor(async () => expect((await c.backend.call("list_rooms")).map((r) => r.name)).toContain("Treatment room A"));
    await screen.findByTestId("scheduling-notice");
    const laser = await roomRow("Laser room");
    await user.click(within(laser).getByTestId("settings-room-retire"));
    await waitFor(async () => expect((await c.backend.call("list_rooms")).find((r) => r.name === "Laser room")?.active).toBe(false));
    await waitFor(() => expect(screen.getByTestId("scheduling-notice").textContent).toContain("Laser room was retired."));
    expect(within(await roomRow("Laser room")).getByText("Retired")).toBeTruthy();

    const ben = within(panel).getAllByTestId("settings-hours").find((f) => f.dataset.name === "Dr Ben Okafor") as HTMLElement;
    const from = within(ben).getByLabelText("Wednesday from");
    await user.clear(from);
    await user.type(from, "13:00");
    await user.click(within(ben).getByTestId("settings-hours-save"));
    await waitFor(() => expect(screen.getByTestId("scheduling-notice").textContent).toContain("Dr Ben Okafor's hours were saved."));
    await waitFor(async () => {
      const p = (await c.backend.call("list_practitioners")).find((x) => x.name === "Dr Ben Okafor");
      expect(p?.days.find((d) => d.weekday === "wed")?.start).toBe("13:00");
    });
    const day = await c.backend.call("day_view", { date: TODAY });
    expect(day.practitioners.find((p) => p.name === "Dr Ben Okafor")?.start).toBe("13:00");
  });
});

/** The Plan tab of a screened, assessed patient with an accepted plan, in a clinic with one room. */
async function planTabWithARoom() {
  let planId = 0;
  const opened = await openPatientTab("plan", { patients: [PEOPLE[0]] }, async (b) => {
    await b.call("add_room", { name: "Room 1" });
    const id = await patientId(b);
    await screenPatient(b, id);
    const a = await assess(b, id);
    planId = (await acceptPlan(b, id, a.id)).id;
  });
  return { ...opened, planId };
}

describe("A plan's sessions into free slots", () => {
  test("the Plan tab offers free slots around each planned session; choosing one books it with practitioner and room", async () => {
    const { backend, user, planId } = await planTabWithARoom();
    await user.click(await screen.findByTestId("session-slots-open"));
    const sessions = await screen.findAllByTestId("session-slots-session");
    expect(sessions.length).toBeGreaterThan(1);
    const first = within(sessions[0]).getAllByTestId("session-slot")[0];
    expect(first.textContent).toContain("Dr Amira Haddad");
    expect(first.textContent).toContain("Room 1");
    const label = first.textContent ?? "";
    await user.click(first);
    expect((await screen.findByTestId("plan-notice")).textContent).toMatch(/Session 1 is booked on .* with Dr Amira Haddad in Room 1/);
    const plan = (await backend.call("list_plans", { patient_id: await patientId(backend) })).find((p) => p.id === planId);
    const s1 = plan?.sessions.find((s) => s.n === 1);
    const time = /(\d{2}:\d{2})/.exec(label)?.[1];
    const booked = (await backend.call("bookings", { from: s1?.date ?? TODAY, to: s1?.date ?? TODAY })).find(
      (b) => "session" in b.key && b.key.session === s1?.id,
    );
    expect(booked?.time).toBe(time);
    expect(booked?.room_name).toBe("Room 1");
    expect(booked?.practitioner_name).toBe("Dr Amira Haddad");
  });

  test("a session another desk booked after the offers were shown is refused naming who, not moved again; the offers reload", async () => {
    const { backend, user, planId } = await planTabWithARoom();
    await user.click(await screen.findByTestId("session-slots-open"));
    const sessions = await screen.findAllByTestId("session-slots-session");
    const offers = within(sessions[0]).getAllByTestId("session-slot");
    // Meanwhile the other desk books session 1 into the last slot offered.
    const [other] = await backend.call("session_slots", { plan_id: planId, practitioner_id: null, room_id: null });
    const theirs = other.slots[other.slots.length - 1];
    await backend.call("move_booking", {
      key: { session: other.session_id },
      version: other.version,
      to: { date: theirs.date, time: theirs.time, minutes: null, numbing_minutes: null, practitioner_id: theirs.practitioner_id, room_id: theirs.room_id },
    });
    backend.calls.length = 0;
    await user.click(offers[0]);
    const alert = await screen.findByTestId("session-slots-error");
    expect(alert.textContent).toMatch(/admin changed this booking at \d\d:\d\d/);
    expect(backend.calls.find((c) => c.command === "move_booking")?.args.version).toBe(other.version);
    const now = (await backend.call("bookings", { from: theirs.date, to: theirs.date })).find(
      (b) => "session" in b.key && b.key.session === other.session_id,
    );
    expect(now?.time).toBe(theirs.time);
    expect(screen.queryByTestId("plan-notice")).toBeNull();
    // The offers were found again, from the session's new version.
    await waitFor(() => expect(backend.calls.filter((c) => c.command === "session_slots").length).toBeGreaterThan(0));
  });
});
