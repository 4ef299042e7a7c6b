import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, test, vi } from "vitest";
import { MOCK_ADMIN, installMockBackend, type MockBackendOptions } from "../lib/backend/mock";
import App from "../lib/components/App.svelte";
import { startIdleTimer } from "../lib/idle";
import { appLock } from "../lib/lock.svelte";

const MINUTE = 60_000;

afterEach(() => {
  appLock.locked = false;
  appLock.idleMinutes = 10;
});

/** Fake timers that also move with real time, so Testing Library's waiting still works. */
function fakeClock(): void {
  vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ["setTimeout", "clearTimeout", "Date"] });
}

async function renderSignedIn(options: MockBackendOptions = {}) {
  fakeClock();
  const backend = installMockBackend({ signedIn: true, patients: [{ first_name: "Emma", last_name: "Smith" }], ...options });
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
    const { backend, user } = await renderSignedIn();
    backend.admin.clinicSettings.idle_lock_minutes = 10;
    await user.click(screen.getByTestId("nav-patients"));
    await user.click(await screen.findByTestId("new-patient"));
    const first = (await screen.findByTestId("patient-first-name")) as HTMLInputElement;
    await user.type(first, "Nadia");

    await vi.advanceTimersByTimeAsync(9 * MINUTE);
    expect(screen.queryByTestId("lock-screen")).toBeNull();
    await vi.advanceTimersByTimeAsync(1 * MINUTE);
    const lock = await screen.findByTestId("lock-screen");
    expect(within(lock).getByTestId("lock-user").textContent).toBe(MOCK_ADMIN.display_name);
    await waitFor(() => expect(backend.calls.some((c) => c.command === "lock_app")).toBe(true));
    expect(backend.admin.lock.locked).toBe(true);
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

    await user.type(within(lock).getByTestId("lock-password"), MOCK_ADMIN.password);
    await user.click(within(lock).getByTestId("lock-unlock"));
    await waitFor(() => expect(screen.queryByTestId("lock-screen")).toBeNull());
    expect((screen.getByTestId("patient-first-name") as HTMLInputElement).value).toBe("Nadia");
    expect(shell.inert || shell.hasAttribute("inert")).toBe(false);
    expect(backend.admin.lock.locked).toBe(false);
  });

  test("after five wrong passwords the lock screen says to wait or ask an administrator", async () => {
    const { user } = await renderSignedIn({ signedInAs: "receptionist" });
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    const lock = await screen.findByTestId("lock-screen");
    expect(within(lock).getByTestId("lock-user").textContent).toBe("Sam Reyes");
    for (let i = 0; i < 5; i++) {
      await user.type(within(lock).getByTestId("lock-password"), `wrong guess ${i}`);
      await user.click(within(lock).getByTestId("lock-unlock"));
      await within(lock).findByTestId("lock-error");
    }
    await user.type(within(lock).getByTestId("lock-password"), "quiet otter marble lantern");
    await user.click(within(lock).getByTestId("lock-unlock"));
    await waitFor(() =>
      expect(within(lock).getByTestId("lock-error").textContent).toMatch(/^Too many wrong passwords for "desk"/),
    );
    expect(screen.getByTestId("lock-screen")).toBeTruthy();
  });

  test("a command refused with `locked` (locked elsewhere) shows the lock screen too", async () => {
    const { backend, user } = await renderSignedIn();
    backend.admin.lock.locked = true;
    await user.click(screen.getByTestId("today-refresh"));
    const lock = await screen.findByTestId("lock-screen");
    // Today waits under the lock screen instead of showing the refusal, and loads again once unlocked.
    expect(screen.queryByText("Dermis is locked. Enter your password to continue.")).toBeNull();
    await user.type(within(lock).getByTestId("lock-password"), MOCK_ADMIN.password);
    await user.click(within(lock).getByTestId("lock-unlock"));
    await waitFor(() => expect(screen.queryByTestId("lock-screen")).toBeNull());
    expect(await screen.findByTestId("today-no-sessions")).toBeTruthy();
    expect(backend.calls.filter((c) => c.command === "today").length).toBeGreaterThanOrEqual(3);
  });

  test("the minutes come from the clinic's setting", async () => {
    fakeClock();
    const backend = installMockBackend({ signedIn: true });
    backend.admin.clinicSettings.idle_lock_minutes = 2;
    render(App);
    await screen.findByTestId("today-screen");
    await vi.advanceTimersByTimeAsync(2 * MINUTE);
    expect(await screen.findByTestId("lock-screen")).toBeTruthy();
  });
});
