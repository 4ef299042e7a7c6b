// The app's offer to encrypt a plaintext clinic (issue 21, "Existing
// clinics"), against the real backend: shown to an admin on a plaintext
// clinic above Today, never to the desk, never on an encrypted clinic; the
// recovery key shown once; its last group required before going on; the
// readable copy removed only after.
import { screen, waitFor } from "@testing-library/svelte";
import { describe, expect, test, vi } from "vitest";
import { listFolder, makeFolder, readBytes } from "./fixtures-desk";
import { ADMIN, RECEPTIONIST, renderApp, renderHome } from "./helpers";

describe("the offer to encrypt", () => {
  test("an admin of a plaintext clinic is offered it above Today; “Not now” leaves it in Settings → Security", async () => {
    const { user } = await renderHome();
    const offer = await screen.findByTestId("encrypt-offer");
    expect(offer.textContent).toContain("a stolen PC, a removed disk or a lost backup stick reveals nothing");
    expect(screen.getByTestId("today-screen")).toBeTruthy();
    await user.click(screen.getByTestId("encrypt-not-now"));
    expect(screen.queryByTestId("encrypt-offer")).toBeNull();
    await user.click(screen.getByTestId("nav-settings"));
    expect((await screen.findByTestId("encryption-kind")).textContent).toContain("stored readable");
    await user.click(screen.getByTestId("settings-encrypt"));
    expect(await screen.findByTestId("encrypt-offer")).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByTestId("encrypt-password"));
  });

  test("the desk is never offered it, and the state is never asked for", async () => {
    const { backend, user } = await renderHome({ signed_in_as: "receptionist" });
    await backend.settled(150);
    expect(screen.queryByTestId("encrypt-offer")).toBeNull();
    await user.click(screen.getByTestId("nav-settings"));
    await waitFor(() => expect(document.getElementById("settings-security")).toBeTruthy());
    await backend.settled(100);
    expect(screen.queryByTestId("settings-encryption")).toBeNull();
    expect(backend.calls.some((c) => c.command === "encryption_state")).toBe(false);
    // Asked directly, the backend refuses her.
    await expect(backend.call("encryption_state")).rejects.toMatchObject({ code: "forbidden" });
  });

  test("an encrypted clinic is not offered it", async () => {
    const { backend, user } = await renderApp({ encrypted: true });
    await user.type(await screen.findByTestId("login-username"), ADMIN.username);
    await user.type(screen.getByTestId("login-password"), `${ADMIN.password}{Enter}`);
    expect(await screen.findByTestId("today-screen")).toBeTruthy();
    await backend.settled(150);
    expect(screen.queryByTestId("encrypt-offer")).toBeNull();
    await user.click(screen.getByTestId("nav-settings"));
    expect((await screen.findByTestId("encryption-kind")).textContent).toContain("is encrypted");
  });

  test("encrypting shows the checks and the key once; its last group is required; then the readable copy goes", async () => {
    const { backend, user } = await renderHome({ patients: [{ first_name: "Emma", last_name: "Smith" }] });
    await screen.findByTestId("encrypt-offer");
    // A wrong password is said beside the field; nothing changes.
    await user.type(screen.getByTestId("encrypt-password"), "not my password");
    await user.click(screen.getByTestId("encrypt-now"));
    expect((await screen.findByTestId("error-password")).textContent).toBe(
      "That user name and password do not match. Check them and try again.",
    );
    expect(screen.getByTestId("today-screen")).toBeTruthy();

    await user.type(screen.getByTestId("encrypt-password"), ADMIN.password);
    await user.click(screen.getByTestId("encrypt-now"));
    const keyEl = await screen.findByTestId("recovery-key", {}, { timeout: 20000 });
    const key = keyEl.textContent ?? "";
    expect(key).toMatch(/^[A-Z0-9]{4}(-[A-Z0-9]{4}){5,}$/);
    expect(screen.getByTestId("encrypt-outcome").textContent).toMatch(
      /Checked: 1 patients and \d+ audit entries, the same before and after; the audit log's head [0-9a-f]{16}… matches\./,
    );
    expect(screen.getByTestId("encrypt-accounts").textContent).toContain(RECEPTIONIST.username);
    // While the key is on screen, nothing else is.
    expect(screen.queryByTestId("today-screen")).toBeNull();
    await user.click(screen.getByTestId("nav-calendar"));
    expect(screen.getByTestId("recovery-key").textContent).toBe(key);

    // The sheet, saved where the admin chose.
    const sheet = `${await backend.folder()}/recovery-sheet.pdf`;
    backend.dialog.save.push(sheet);
    await user.click(screen.getByTestId("save-recovery-sheet"));
    expect((await screen.findByTestId("recovery-sheet-note")).textContent).toContain(sheet);
    expect(backend.calls.find((c) => c.command === "save_recovery_sheet")?.args).toEqual({ path: sheet });

    // Going on requires the key's last group.
    await user.click(screen.getByTestId("confirm-key"));
    expect((await screen.findByTestId("error-last_group")).textContent).toBe("Type the last group of the recovery key.");
    await user.type(screen.getByTestId("confirm-last-group"), "ZZZZ");
    await user.click(screen.getByTestId("confirm-key"));
    await waitFor(() =>
      expect(screen.getByTestId("error-last_group").textContent).toBe(
        "That is not the last group of the recovery key. Check what you wrote down.",
      ),
    );
    expect(screen.getByTestId("recovery-key")).toBeTruthy();
    await user.clear(screen.getByTestId("confirm-last-group"));
    await user.type(screen.getByTestId("confirm-last-group"), key.split("-").at(-1)!.toLowerCase());
    await user.click(screen.getByTestId("confirm-key"));

    // The key is gone from the screen for good; the readable copy is offered for removal.
    expect(await screen.findByTestId("remove-plaintext")).toBeTruthy();
    expect(screen.queryByTestId("recovery-key")).toBeNull();
    expect(document.body.textContent).not.toContain(key);
    expect(screen.getByTestId("plaintext-backup").textContent).toContain("dermis-before-encrypt-");
    await user.click(screen.getByTestId("remove-plaintext"));
    expect((await screen.findByTestId("encrypt-done")).textContent).toMatch(/^\d+ readable cop(y was|ies were) removed\.$/);
    await user.click(screen.getByTestId("encrypt-close"));
    expect(screen.queryByTestId("encrypt-offer")).toBeNull();
    expect(await screen.findByTestId("calendar-screen")).toBeTruthy();

    // Encrypted now: Settings says so, and no reply carried the key after the one.
    await user.click(screen.getByTestId("nav-settings"));
    expect((await screen.findByTestId("encryption-kind")).textContent).toContain("is encrypted");
    const state = await backend.call("encryption_state");
    expect(state).toMatchObject({ kind: "encrypted", offer: false, key_to_confirm: false, plaintext_copies: [] });

    // Its export is now one encrypted ZIP; the passphrase shows once, beside the summary.
    const folder = `${await backend.folder()}/export`;
    makeFolder(folder);
    backend.dialog.open.push(folder);
    await user.click(screen.getByTestId("export-run"));
    const summary = (await screen.findByTestId("export-summary")).textContent ?? "";
    const files = listFolder(folder);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^dermis-export-\d{8}-\d{6}\.zip$/);
    expect(summary).toContain(`${folder}/${files[0]}`);
    const passphrase = screen.getByTestId("export-passphrase").textContent ?? "";
    expect(passphrase).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){5}$/);
    const zip = Buffer.from(readBytes(`${folder}/${files[0]}`));
    expect(zip.subarray(0, 2).toString("latin1")).toBe("PK");
    for (const plain of ["Emma", "Smith", "SQLite format 3", "\xFF\xD8\xFF"]) expect(zip.includes(Buffer.from(plain, "latin1"))).toBe(false);
    expect(zip.includes(Buffer.from(passphrase))).toBe(false);
    // It can be printed, alone, to hand over.
    const print = vi.fn(() => expect(document.body.classList.contains("printing-passphrase")).toBe(true));
    window.print = print;
    await user.click(screen.getByTestId("export-print-passphrase"));
    expect(print).toHaveBeenCalledTimes(1);
    expect(document.body.classList.contains("printing-passphrase")).toBe(false);
  });
});
