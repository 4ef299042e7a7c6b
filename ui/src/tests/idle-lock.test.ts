import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, test, vi } from "vitest";
import App from "../lib/components/App.svelte";
import { startIdleTimer } from "../lib/idle";
import { appLock } from "../lib/lock.svelte";
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
    expect(await backendLocked(backend)).toBe(true);
    // The form is still there underneath, inert, with what was typed.
    expect(screen.getByTestId("patient-first-name")).toBe(first);
    expect(first.value).toBe("Nadia");
    const shell = first.closest(".shell") as HTMLElement & { inert: boolean };
    expect(shell.inert || shell.hasAttribute("inert")).toBe(true);

    await user.type(within(lock).getByTestId("lock-password"), "not my password");
    await user.click(within(lock).getByTestId("lock-unlock"));
    expect((await within(lock).findByTestId("lock-error")).textContent).toBe(
      "That user name and password do not match. Check them and try again.",
    );
    expect(screen.getByTestId("lock-screen")).toBeTruthy();

    await user.type(within(lock).getByTestId("lock-password"), ADMIN.password);
    await user.click(within(lock).getByTestId("lock-unlock"));
    await waitFor(() => expect(screen.queryByTestId("lock-screen")).toBeNull());
    expect((screen.getByTestId("patient-first-name") as HTMLInputElement).value).toBe("Nadia");
    expect(shell.inert || shell.hasAttribute("inert")).toBe(false);
    expect(await backendLocked(backend)).toBe(false);
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
    expect(await backendLocked(backend)).toBe(true);
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
