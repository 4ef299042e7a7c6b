import { fireEvent, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, test } from "vitest";
import { ADMIN, renderApp } from "./helpers";

describe("first run", () => {
  async function fillSetup(user: Awaited<ReturnType<typeof renderApp>>["user"], confirm: string, password = "a long enough password") {
    await user.type(await screen.findByTestId("setup-clinic-name"), "Clínica Piel Sana");
    await user.type(screen.getByTestId("setup-clinic-address"), "Calle Mayor 1, Madrid");
    await user.type(screen.getByTestId("setup-clinic-phone"), "+34 910 123 456");
    await user.type(screen.getByTestId("setup-admin-username"), "lucia");
    await user.type(screen.getByTestId("setup-admin-display-name"), "Dra. Lucía Pérez");
    await user.type(screen.getByTestId("setup-password"), password);
    await user.type(screen.getByTestId("setup-password-confirm"), confirm);
  }

  test("creating the clinic signs the new admin in and opens on an empty Today; the patient list is empty", async () => {
    const { user } = await renderApp({ needs_setup: true });
    expect(await screen.findByText(/admin/)).toBeTruthy();
    await fillSetup(user, "a long enough password");
    await user.click(screen.getByTestId("setup-submit"));

    expect(await screen.findByTestId("today-no-sessions")).toBeTruthy();
    expect(screen.getByTestId("nav-today").getAttribute("aria-current")).toBe("page");
    expect(screen.getByTestId("clinic-name").textContent).toBe("Clínica Piel Sana");
    expect(screen.getByTestId("user-display-name").textContent).toBe("Dra. Lucía Pérez");
    expect(screen.queryByTestId("setup-submit")).toBeNull();

    await user.click(screen.getByTestId("nav-patients"));
    expect(await screen.findByTestId("patient-search")).toBeTruthy();
    expect(await screen.findByText("No patients yet")).toBeTruthy();
  });

  test("a mistyped confirmation is caught beside the field and nothing is created", async () => {
    const { user, backend } = await renderApp({ needs_setup: true });
    await fillSetup(user, "a long enough passwrod");
    await user.click(screen.getByTestId("setup-submit"));

    const error = await screen.findByTestId("error-password_confirm");
    expect(error.textContent).toMatch(/not the same/);
    const confirm = screen.getByTestId("setup-password-confirm");
    expect(confirm.getAttribute("aria-invalid")).toBe("true");
    expect(confirm.getAttribute("aria-describedby")).toContain(error.id);
    expect(document.activeElement).toBe(confirm);
    expect(backend.calls.some((c) => c.command === "setup_clinic")).toBe(false);
  });

  test("the backend's complaint about a short password shows beside the password", async () => {
    const { user } = await renderApp({ needs_setup: true });
    await fillSetup(user, "short", "short");
    await user.click(screen.getByTestId("setup-submit"));

    const error = await screen.findByTestId("error-password");
    expect(error.textContent).toMatch(/at least 12 characters/);
    expect(document.activeElement).toBe(screen.getByTestId("setup-password"));
    expect(screen.queryByTestId("patient-search")).toBeNull();
  });
});

describe("sign in", () => {
  test("a wrong password shows an error and stays on the sign-in screen", async () => {
    const { user } = await renderApp();
    expect(await screen.findByText("Clearskin Clinic")).toBeTruthy();
    await user.type(screen.getByTestId("login-username"), "admin");
    await user.type(screen.getByTestId("login-password"), "not the password");
    await user.click(screen.getByTestId("login-submit"));

    const error = await screen.findByTestId("login-error");
    expect(error.textContent).toBe("That user name and password do not match. Check them and try again.");
    expect(screen.queryByTestId("patient-search")).toBeNull();
    expect((screen.getByTestId("login-password") as HTMLInputElement).value).toBe("");
    expect(document.activeElement).toBe(screen.getByTestId("login-password"));
  });

  test("the right password opens Today, Patients lists the patients; signing out returns to sign in", async () => {
    const { user } = await renderApp({ patients: [{ first_name: "Emma", last_name: "Smith" }] });
    await user.type(await screen.findByTestId("login-username"), ADMIN.username);
    await user.type(screen.getByTestId("login-password"), `${ADMIN.password}{Enter}`);

    expect(await screen.findByTestId("today-screen")).toBeTruthy();
    await user.click(screen.getByTestId("nav-patients"));
    expect(await screen.findByTestId("patient-row")).toBeTruthy();
    expect(screen.getByTestId("user-display-name").textContent).toBe(ADMIN.display_name);

    await user.click(screen.getByTestId("sign-out"));
    expect(await screen.findByTestId("login-username")).toBeTruthy();
    expect(screen.getByText("You have signed out.")).toBeTruthy();
  });

  test("without a backend the app says so instead of showing a blank window", async () => {
    const { render } = await import("@testing-library/svelte");
    const App = (await import("../lib/components/App.svelte")).default;
    render(App);
    await waitFor(() => expect(screen.getByText("Dermis cannot start")).toBeTruthy());
    fireEvent.click(screen.getByText("Try again"));
    expect(await screen.findByText("Dermis cannot start")).toBeTruthy();
  });
});
