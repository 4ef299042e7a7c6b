// Joining the clinic server from the first-run screen (issue 16). The test
// host has no TLS server: its probe answers a fixed fingerprint for
// clinic-server.test (crates/dermis-testhost/src/fixture.rs, test host only)
// and "no server answers" for any other address.
import { screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, test } from "vitest";
import { renderApp, renderHome } from "./helpers";

/** What the test host's fake probe answers for clinic-server.test. */
function fakeFingerprint(): string {
  const bytes: string[] = [];
  for (let i = 0; i < 32; i++) bytes.push(((i * 37 + 0x5a) & 0xff).toString(16).toUpperCase().padStart(2, "0"));
  return bytes.join(":");
}

describe("first run: this PC only, or join the clinic server", () => {
  test("the admin reads the fingerprint in groups, confirms it, and the PC goes to sign-in on the server", async () => {
    const { user, backend } = await renderApp({ needs_setup: true });
    // "This PC only" is the default: the set-up form as before.
    expect(await screen.findByTestId("setup-clinic-name")).toBeTruthy();
    await user.click(screen.getByTestId("first-run-server"));
    expect(screen.queryByTestId("setup-clinic-name")).toBeNull();
    expect(screen.getByRole("heading", { name: "Join the clinic server" })).toBeTruthy();
    expect((screen.getByTestId("join-port") as HTMLInputElement).value).toBe("5432");

    await user.type(screen.getByTestId("join-address"), "clinic-server.test");
    await user.click(screen.getByTestId("join-probe"));

    const shown = await screen.findByTestId("join-fingerprint");
    const groups = within(shown)
      .getAllByText(/^[0-9A-F]{2}(:[0-9A-F]{2}){3}$/)
      .map((g) => g.textContent);
    expect(groups).toHaveLength(8);
    expect(groups.join(":")).toBe(fakeFingerprint());
    // Nothing is pinned until the admin says they match.
    expect(backend.calls.some((c) => c.command === "server_join")).toBe(false);

    await user.click(screen.getByTestId("join-confirm"));
    const notice = await screen.findByRole("status");
    expect(notice.textContent).toBe(
      "This PC now works on the clinic server at clinic-server.test:5432/dermis. Sign in with your own account.",
    );
    expect(screen.getByTestId("login-username")).toBeTruthy();
    const join = backend.calls.find((c) => c.command === "server_join");
    expect(join?.args).toEqual({ host: "clinic-server.test", port: 5432, database: "dermis", fingerprint: fakeFingerprint() });

    // The backend now works on the server, with the fingerprint pinned.
    const info = await backend.call("connection_info");
    expect(info).toMatchObject({ kind: "server", place: "clinic-server.test:5432/dermis", fingerprint: fakeFingerprint() });
    // And the sign-in screen cannot point it anywhere else.
    await expect(backend.call("server_probe", { host: "elsewhere.test", port: 5432, database: "dermis" })).rejects.toMatchObject({
      code: "forbidden",
    });
  });

  test("“They differ” saves nothing and warns; the set-up form is still there", async () => {
    const { user, backend } = await renderApp({ needs_setup: true });
    await user.click(await screen.findByTestId("first-run-server"));
    await user.type(screen.getByTestId("join-address"), "clinic-server.test");
    await user.click(screen.getByTestId("join-probe"));
    await user.click(await screen.findByTestId("join-differ"));

    const warning = await screen.findByTestId("join-banner");
    expect(warning.textContent).toMatch(/^\s*Not joined: nothing was saved\. Do not use this server from this PC\./);
    expect(screen.queryByTestId("join-fingerprint")).toBeNull();
    expect(backend.calls.some((c) => c.command === "server_join")).toBe(false);
    expect((await backend.call("connection_info")).kind).toBe("file");

    await user.click(screen.getByTestId("first-run-local"));
    expect(await screen.findByTestId("setup-clinic-name")).toBeTruthy();
  });

  test("an address with no server, or a URL typed instead of an address, is refused beside the address", async () => {
    const { user } = await renderApp({ needs_setup: true });
    await user.click(await screen.findByTestId("first-run-server"));
    const address = screen.getByTestId("join-address");
    await user.type(address, "10.9.9.9");
    await user.click(screen.getByTestId("join-probe"));
    const error = await screen.findByTestId("error-address");
    expect(error.textContent).toMatch(/could not read this server's certificate/);
    expect(address.getAttribute("aria-invalid")).toBe("true");
    await waitFor(() => expect(document.activeElement).toBe(address));

    await user.clear(address);
    await user.type(address, "postgresql://owner:secret@10.9.9.9");
    await user.click(screen.getByTestId("join-probe"));
    expect((await screen.findByTestId("error-address")).textContent).toMatch(/only the server's name or IP address/);
  });
});

describe("Settings → Clinic server on a single-PC clinic", () => {
  for (const who of ["admin", "receptionist"] as const) {
    test(`the ${who} reads “This PC only”, the clinic file and its last backup, and is offered nothing to change`, async () => {
      const { user, backend } = await renderHome({ signed_in_as: who });
      await user.click(screen.getByTestId("nav-settings"));
      const panel = await screen.findByTestId("settings-server");
      expect(await within(panel).findByTestId("server-this-pc-only")).toBeTruthy();
      expect(within(panel).getByTestId("server-this-pc-only").textContent).toBe(
        "This PC only. The clinic is kept on this computer.",
      );
      expect(within(panel).getByText((await backend.call("app_info")).db_path)).toBeTruthy();
      expect(within(panel).getByTestId("server-last-backup").textContent?.trim()).toBe("None yet");
      expect(within(panel).queryByTestId("server-change")).toBeNull();
      expect(within(panel).queryByRole("button")).toBeNull();
      // The backend refuses too: a signed-in person does not point a single-PC clinic at a server.
      await expect(backend.call("server_probe", { host: "clinic-server.test", port: 5432, database: "dermis" })).rejects.toMatchObject({
        code: "forbidden",
      });
    });
  }
});
