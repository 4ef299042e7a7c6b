// Signing in on an encrypted clinic, and "Forgot the admin password?" with
// the recovery key (issue 21) — on a real encrypted clinic of the test host.
import { screen, waitFor } from "@testing-library/svelte";
import { describe, expect, test } from "vitest";
import { ADMIN, CLINIC_NAME, RECEPTIONIST, renderApp } from "./helpers";

async function recoveryKeyOf(backend: { base: string; clinic: string }): Promise<string> {
  return (await (await fetch(`${backend.base}/t/${backend.clinic}/recovery-key`)).json()) as string;
}

describe("an encrypted clinic", () => {
  test("the sign-in screen opens it with the person's password; nothing of the clinic shows before", async () => {
    const { user } = await renderApp({ encrypted: true });
    expect(await screen.findByTestId("login-username")).toBeTruthy();
    // Before a password has opened it, not even the clinic's name is readable.
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Sign in");
    await user.type(screen.getByTestId("login-username"), RECEPTIONIST.username);
    await user.type(screen.getByTestId("login-password"), "not her password{Enter}");
    expect((await screen.findByTestId("login-error")).textContent).toBe(
      "That user name and password do not match. Check them and try again.",
    );
    await user.type(screen.getByTestId("login-password"), `${RECEPTIONIST.password}{Enter}`);
    expect(await screen.findByTestId("today-screen")).toBeTruthy();
    expect(screen.getByTestId("user-display-name").textContent).toBe(RECEPTIONIST.display_name);
    // Now open, the clinic's name shows in the header.
    await waitFor(() => expect(screen.getByTestId("clinic-name").textContent).toBe(CLINIC_NAME));
  });

  test("“Forgot the admin password?”: a wrong key is refused, the right one sets a new password and the old one stops working", async () => {
    const { user, backend } = await renderApp({ encrypted: true });
    await user.type(await screen.findByTestId("login-username"), ADMIN.username);
    await user.click(await screen.findByTestId("login-forgot"));
    expect(screen.getByRole("heading", { name: "Replace a forgotten password" })).toBeTruthy();
    expect((screen.getByTestId("recover-username") as HTMLInputElement).value).toBe(ADMIN.username);
    expect(document.activeElement).toBe(screen.getByTestId("recover-key"));

    await user.type(screen.getByTestId("recover-key"), "AAAA-BBBB-CCCC-DDDD");
    await user.type(screen.getByTestId("recover-new-password"), "lilac ferry compass drum");
    await user.type(screen.getByTestId("recover-confirm"), "lilac ferry compass drum");
    await user.click(screen.getByTestId("recover-submit"));
    expect((await screen.findByTestId("recover-banner")).textContent).toBe(
      "That is not this clinic's recovery key. Check it against the recovery sheet.",
    );
    // The refused key is not left on screen.
    expect((screen.getByTestId("recover-key") as HTMLInputElement).value).toBe("");

    await user.type(screen.getByTestId("recover-key"), await recoveryKeyOf(backend));
    await user.click(screen.getByTestId("recover-submit"));
    expect((await screen.findByTestId("login-notice")).textContent).toBe(
      `The password for ${ADMIN.username} was replaced. Sign in with the new password.`,
    );
    expect(document.activeElement).toBe(screen.getByTestId("login-password"));

    await user.type(screen.getByTestId("login-password"), `${ADMIN.password}{Enter}`);
    expect(await screen.findByTestId("login-error")).toBeTruthy();
    await user.type(screen.getByTestId("login-password"), "lilac ferry compass drum{Enter}");
    expect(await screen.findByTestId("today-screen")).toBeTruthy();
    // The key went to the backend once, in the recovery command only.
    const sent = backend.calls.filter((c) => JSON.stringify(c.args).includes("recovery_key")).map((c) => c.command);
    expect(sent).toEqual(["recover_password", "recover_password"]);
  });

  test("a plain clinic's sign-in screen offers no recovery key", async () => {
    await renderApp();
    expect(await screen.findByTestId("login-username")).toBeTruthy();
    await new Promise((r) => setTimeout(r, 100));
    expect(screen.queryByTestId("login-forgot")).toBeNull();
  });
});
