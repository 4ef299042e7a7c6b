import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, test, vi } from "vitest";
import App from "../lib/components/App.svelte";
import { startIdleTimer } from "../lib/idle";
import { appLock } from "../lib/lock.svelte";
import { patientId, screenPatient } from "./fixtures-treatment";
import { ADMIN, RECEPTIONIST, startBackend, type TestBackend, type TestOptions } from "./helpers";

const MINUTE = 60_000;

afterEach(() => {
  appLock.locked = false;
  appLock.idleMinutes = 10;
});

/** Fake timers that also move with real time, so Testing Library's waiting still works. */
function fakeClock(): void {
  vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ["setTimeout", "clearTimeout", "Date"] });
}

/** Sets the clinic's idle-lock minutes through the real settings command (as the admin). */
async function setIdleMinutes(backend: TestBackend, minutes: number): Promise<void> {
  const view = await backend.call("clinic_settings");
  await backend.call("update_clinic_settings", { settings: { ...view.settings, idle_lock_minutes: minutes } });
}

/** Whether the backend's seat is locked now (app_status asks without counting as activity). */
async function backendLocked(backend: TestBackend): Promise<boolean> {
  return (await backend.call("app_status")).locked;
}

async function renderSignedIn(options: TestOptions = {}, minutes?: number) {
  fakeClock();
  const backend = await startBackend({ signed_in_as: "admin", patients: [{ first_name: "Emma", last_name: "Smith" }], ...options });
  if (minutes !== undefined) await setIdleMinutes(backend, minutes);
  const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
  render(App);
  await screen.findByTestId("today-screen");
  return { backend, user };
}

describe("the idle timer", () => {
  test("fires once after the idle minutes; any input starts the wait again; stop() ends it", () => {
    vi.useFakeTimers();
    const target = new EventTarget();
    const onIdle = vi.fn();
    const timer = startIdleTimer(3, onIdle, target);
    vi.advanceTimersByTime(2 * MINUTE);
    target.dispatchEvent(new Event("keydown"));
    vi.advanceTimersByTime(2 * MINUTE);
    target.dispatchEvent(new Event("mousemove"));
    vi.advanceTimersByTime(3 * MINUTE - 1);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onIdle).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(10 * MINUTE);
    expect(onIdle).toHaveBeenCalledTimes(1);

    const again = vi.fn();
    const stopped = startIdleTimer(1, again, target);
    stopped.stop();
    vi.advanceTimersByTime(5 * MINUTE);
    expect(again).not.toHaveBeenCalled();
    timer.stop();
  });
});

describe("the lock screen", () => {
  test("locks after the clinic's idle minutes, over the form being typed; unlocking keeps the typed text", async () => {
    const { backend, user } = await renderSignedIn({}, 10);
    await user.click(screen.getByTestId("nav-patients"));
    await user.click(await screen.findByTestId("new-patient"));
    const first = (await screen.findByTestId("patient-first-name")) as HTMLInputElement;
    await user.type(first, "Nadia");

    await vi.advanceTimersByTimeAsync(9 * MINUTE);
    expect(screen.queryByTestId("lock-screen")).toBeNull();
    await vi.advanceTimersByTimeAsync(1 * MINUTE);
    const lock = await screen.findByTestId("lock-screen");
    expect(within(lock).getByTestId("lock-user").textContent).toBe(ADMIN.display_name);
    await waitFor(() => expect(backend.calls.some((c) => c.command === "lock_app")).toBe(true));
    await waitFor(async () => expect(await backendLocked(backend)).toBe(true));
    // The form is out of the document while locked (kept aside, with what was typed).
    expect(screen.queryByTestId("patient-first-name")).toBeNull();
    expect(first.isConnected).toBe(false);
    expect(first.value).toBe("Nadia");

    await user.type(within(lock).getByTestId("lock-password"), "not my password");
    await user.click(within(lock).getByTestId("lock-unlock"));
    expect((await within(lock).findByTestId("lock-error")).textContent).toBe(
      "That user name and password do not match. Check them and try again.",
    );
    expect(screen.getByTestId("lock-screen")).toBeTruthy();

    await user.type(within(lock).getByTestId("lock-password"), ADMIN.password);
    await user.click(within(lock).getByTestId("lock-unlock"));
    await waitFor(() => expect(screen.queryByTestId("lock-screen")).toBeNull());
    // The same field is back, with the text and the focus it had.
    expect(screen.getByTestId("patient-first-name")).toBe(first);
    expect(first.value).toBe("Nadia");
    expect(document.activeElement).toBe(first);
    expect(await backendLocked(backend)).toBe(false);
  });

  test("locked over an open record, nothing of the patient is in the page; unlocking brings back the same record and tab", async () => {
    fakeClock();
    const backend = await startBackend({
      signed_in_as: "admin",
      patients: [{ first_name: "Zoë", last_name: "Testová", phone: "07700 900123" }],
    });
    const id = await patientId(backend);
    await screenPatient(backend, id, ["herpes_simplex"]);
    const number = (await backend.call("get_patient", { id })).patient_number;
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    render(App);
    await screen.findByTestId("today-screen");
    await user.click(screen.getByTestId("nav-patients"));
    await user.click((await screen.findAllByTestId("patient-row"))[0]);
    await screen.findByTestId("patient-record");
    await user.click(screen.getByTestId("screening-tab"));
    await screen.findByTestId("screening-result");
    const secrets = ["Zoë", "Testová", number, "900123", "Herpes", "herpes"];
    const page = () => document.body.innerHTML + document.body.textContent;
    for (const s of ["Zoë", "Testová", number, "Herpes"]) expect(page()).toContain(s);

    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    const lock = await screen.findByTestId("lock-screen");
    for (const s of secrets) expect(page()).not.toContain(s);
    // No field holds any of it either (a value typed in is not in innerHTML).
    for (const field of document.querySelectorAll("input, textarea, select")) {
      for (const s of secrets) expect((field as HTMLInputElement).value).not.toContain(s);
    }

    await user.type(within(lock).getByTestId("lock-password"), ADMIN.password);
    await user.click(within(lock).getByTestId("lock-unlock"));
    await waitFor(() => expect(screen.queryByTestId("lock-screen")).toBeNull());
    expect(screen.getByTestId("patient-name").textContent).toContain("Zoë");
    expect(screen.getByTestId("patient-number").textContent).toBe(number);
    expect(screen.getByTestId("screening-tab").getAttribute("aria-selected")).toBe("true");
    expect(within(screen.getByTestId("screening-result")).getByText("Herpes simplex", { selector: "dd" })).toBeTruthy();
    expect(document.activeElement).not.toBe(document.body);
  });

  test("after five wrong passwords the lock screen says to wait or ask an administrator", async () => {
    const { user } = await renderSignedIn({ signed_in_as: "receptionist" });
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    const lock = await screen.findByTestId("lock-screen");
    expect(within(lock).getByTestId("lock-user").textContent).toBe("Sam Reyes");
    for (let i = 0; i < 5; i++) {
      await user.type(within(lock).getByTestId("lock-password"), `wrong guess ${i}`);
      await user.click(within(lock).getByTestId("lock-unlock"));
      await within(lock).findByTestId("lock-error");
    }
    await user.type(within(lock).getByTestId("lock-password"), RECEPTIONIST.password);
    await user.click(within(lock).getByTestId("lock-unlock"));
    await waitFor(() =>
      expect(within(lock).getByTestId("lock-error").textContent).toBe(
        "Too many wrong passwords for this user name. Wait 15 minutes, or ask an administrator to reset the password.",
      ),
    );
    expect(screen.getByTestId("lock-screen")).toBeTruthy();
  });

  test("a command refused with `locked` (locked elsewhere) shows the lock screen too", async () => {
    const { backend, user } = await renderSignedIn();
    await screen.findByTestId("today-no-sessions");
    // Today's loading commands have been answered before the seat locks.
    await backend.settled();
    // The seat is locked from outside this window's timer.
    await backend.call("lock_app");
    await user.click(screen.getByTestId("today-refresh"));
    const lock = await screen.findByTestId("lock-screen");
    // Today waits under the lock screen instead of showing the refusal, and loads again once unlocked.
    expect(screen.queryByText("Dermis is locked. Enter your password to continue.")).toBeNull();
    await user.type(within(lock).getByTestId("lock-password"), ADMIN.password);
    await user.click(within(lock).getByTestId("lock-unlock"));
    await waitFor(() => expect(screen.queryByTestId("lock-screen")).toBeNull());
    expect(await screen.findByTestId("today-no-sessions")).toBeTruthy();
    expect(backend.calls.filter((c) => c.command === "today").length).toBeGreaterThanOrEqual(3);
    expect(await backendLocked(backend)).toBe(false);
  });

  test("the backend locks by itself once its clock passes the idle limit, even if the window's timer did not fire", async () => {
    // E.g. the computer slept: the page's timers stood still, the clock did not.
    const { backend, user } = await renderSignedIn({ today: "2026-03-04" });
    await screen.findByTestId("today-no-sessions");
    await backend.setToday("2026-03-05");
    await user.click(screen.getByTestId("today-refresh"));
    const lock = await screen.findByTestId("lock-screen");
    expect(within(lock).getByTestId("lock-user").textContent).toBe(ADMIN.display_name);
    await waitFor(async () => expect(await backendLocked(backend)).toBe(true));
    await user.type(within(lock).getByTestId("lock-password"), ADMIN.password);
    await user.click(within(lock).getByTestId("lock-unlock"));
    await waitFor(() => expect(screen.queryByTestId("lock-screen")).toBeNull());
    expect(await backendLocked(backend)).toBe(false);
  });

  test("a window opened while the backend is locked starts on the lock screen", async () => {
    fakeClock();
    const backend = await startBackend({ signed_in_as: "admin" });
    await backend.call("lock_app");
    render(App);
    const lock = await screen.findByTestId("lock-screen");
    expect(within(lock).getByTestId("lock-user").textContent).toBe(ADMIN.display_name);
  });

  test("the minutes come from the clinic's setting", async () => {
    await renderSignedIn({}, 2);
    await vi.advanceTimersByTimeAsync(2 * MINUTE - 1000);
    expect(screen.queryByTestId("lock-screen")).toBeNull();
    await vi.advanceTimersByTimeAsync(1000);
    expect(await screen.findByTestId("lock-screen")).toBeTruthy();
  });
});
