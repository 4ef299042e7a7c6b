import { screen, waitFor, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, test } from "vitest";
import type { AuditItem } from "../lib/bindings/AuditItem";
import { readText, renderHomeWith } from "./fixtures-desk";
import { ADMIN, RECEPTIONIST, TODAY, pinToday, renderHome, type TestBackend } from "./helpers";

beforeEach(() => pinToday());

const text = (el: Element) => el.textContent?.replace(/\s+/g, " ").trim() ?? "";
const cells = (el: Element) => [...el.querySelectorAll("td")].map(text).filter(Boolean);

async function openUsers() {
  const app = await renderHome();
  await app.user.click(screen.getByTestId("nav-settings"));
  await screen.findByTestId("accounts-table");
  return app;
}

const row = (username: string) =>
  screen.getAllByTestId("account-row").find((r) => r.getAttribute("data-username") === username)!;

describe("Settings → Users", () => {
  test("lists the accounts; a new account with two roles, its field errors first", async () => {
    const { user, backend } = await openUsers();
    expect(screen.getAllByTestId("account-row").map((r) => r.getAttribute("data-username"))).toEqual(["admin", "desk"]);
    expect(cells(row("admin"))).toEqual(["Dr Amira Haddad (you)", "admin", "Admin, Practitioner", "Active", "Reset password"]);

    await user.click(screen.getByTestId("account-new"));
    const dialog = await screen.findByTestId("account-dialog");
    expect(text(dialog)).toContain("unrelated words are best");
    // The backend names one fault at a time, in the form's order, beside its field.
    await user.click(within(dialog).getByTestId("account-save"));
    expect(text(await within(dialog).findByTestId("error-username"))).toBe("Enter a user name.");
    expect(within(dialog).queryByTestId("error-password")).toBeNull();

    await user.type(within(dialog).getByTestId("account-username"), "desk");
    await user.type(within(dialog).getByTestId("account-display-name"), "Lena Kovač");
    await user.type(within(dialog).getByTestId("account-password"), "too short");
    await user.click(within(dialog).getByTestId("account-save"));
    expect(text(await within(dialog).findByTestId("error-password"))).toMatch(/at least 12 characters/);
    expect(within(dialog).queryByTestId("error-username")).toBeNull();

    await user.type(within(dialog).getByTestId("account-password"), " but now it is a long phrase");
    await user.click(within(dialog).getByTestId("account-save"));
    expect(text(await within(dialog).findByTestId("error-roles"))).toBe("Give the account at least one role.");

    await user.click(within(dialog).getByTestId("account-role-practitioner"));
    await user.click(within(dialog).getByTestId("account-role-receptionist"));
    await user.click(within(dialog).getByTestId("account-save"));
    expect(text(await within(dialog).findByTestId("error-username"))).toBe(
      'This user name looks like the existing account "desk": choose one that cannot be mistaken for it.',
    );
    expect(within(dialog).queryByTestId("error-roles")).toBeNull();
    expect(within(dialog).queryByTestId("error-password")).toBeNull();
    expect(await backend.call("list_users")).toHaveLength(2);

    const username = within(dialog).getByTestId("account-username");
    await user.clear(username);
    await user.type(username, "lena.k");
    await user.click(within(dialog).getByTestId("account-save"));
    await waitFor(() => expect(screen.queryByTestId("account-dialog")).toBeNull());
    expect(text(screen.getByTestId("accounts-notice"))).toBe('The account "lena.k" (Lena Kovač) can now sign in.');
    await waitFor(() => expect(screen.getAllByTestId("account-row").map((r) => r.getAttribute("data-username"))).toContain("lena.k"));
    expect(cells(row("lena.k")).slice(0, 4)).toEqual(["Lena Kovač", "lena.k", "Practitioner, Receptionist", "Active"]);
    expect(backend.calls.find((c) => c.command === "create_user")?.args).toBeTruthy();
  });

  test("Deactivate is not offered on your own account (the backend refuses it); another account is deactivated, never deleted", async () => {
    const { user, backend } = await openUsers();
    expect(within(row("admin")).queryByTestId("account-deactivate")).toBeNull();
    expect(within(row("admin")).getByTestId("account-reset")).toBeTruthy();
    await expect(backend.call("deactivate_user", { username: "admin" })).rejects.toMatchObject({
      message: "You cannot deactivate your own account.",
    });

    await user.click(within(row("desk")).getByTestId("account-deactivate"));
    const dialog = screen.getByRole("dialog");
    expect(text(dialog)).toMatch(/Nothing is deleted/);
    await user.click(within(dialog).getByTestId("dialog-confirm"));
    await waitFor(() => expect(within(row("desk")).queryByTestId("account-deactivated")).toBeTruthy());
    expect(within(row("desk")).queryByTestId("account-deactivate")).toBeNull();
    const users = await backend.call("list_users");
    expect(users.map((u) => [u.username, u.active])).toEqual([
      ["admin", true],
      ["desk", false],
    ]);
  });

  test("Reset password: a short one is refused beside the field, then the new one works", async () => {
    const { user, backend } = await openUsers();
    await user.click(within(row("desk")).getByTestId("account-reset"));
    const dialog = await screen.findByTestId("reset-dialog");
    await user.type(within(dialog).getByTestId("reset-password"), "1234");
    await user.click(within(dialog).getByTestId("reset-save"));
    expect(text(await within(dialog).findByTestId("error-password"))).toMatch(/at least 12 characters/);
    await user.type(within(dialog).getByTestId("reset-password"), "5678 blue lagoon");
    await user.click(within(dialog).getByTestId("reset-save"));
    await waitFor(() => expect(screen.queryByTestId("reset-dialog")).toBeNull());
    // The desk signs in with the new password, not the old one.
    await backend.call("logout");
    await expect(
      backend.call("login", { input: { username: RECEPTIONIST.username, password: RECEPTIONIST.password } }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/do not match/) });
    const desk = await backend.call("login", { input: { username: "desk", password: "12345678 blue lagoon" } });
    expect(desk.display_name).toBe(RECEPTIONIST.display_name);
  });

  test("a receptionist has no Users section and no audit log", async () => {
    const { user } = await renderHome({ signed_in_as: "receptionist" });
    expect(screen.queryByTestId("nav-audit")).toBeNull();
    await user.click(screen.getByTestId("nav-settings"));
    await screen.findByTestId("settings-clinic-form");
    expect(screen.queryByTestId("accounts-panel")).toBeNull();
    expect(screen.queryByTestId("settings-backups")).toBeNull();
    expect(screen.getByTestId("settings-admin-only")).toBeTruthy();
    expect((screen.getByTestId("clinic-name-input") as HTMLInputElement).disabled).toBe(true);
    expect(screen.queryByTestId("settings-clinic-save")).toBeNull();
  });
});

describe("Audit log", () => {
  const DAYS = ["2026-03-02", "2026-03-03", TODAY];

  /**
   * A real log over three days: each day the admin opens Emma's record eight
   * times, then the desk signs in, opens it eight times and signs out, and the
   * admin signs in again (20 entries a day, after the clinic's own first ones).
   */
  async function seed(backend: TestBackend): Promise<void> {
    for (const day of DAYS) {
      await backend.setToday(day);
      await backend.call("unlock_app", { password: ADMIN.password }).catch(() => {}); // the clock moved on
      for (let i = 0; i < 8; i++) await backend.call("get_patient", { id: 1 });
      await backend.call("logout");
      await backend.call("login", { input: { username: RECEPTIONIST.username, password: RECEPTIONIST.password } });
      for (let i = 0; i < 8; i++) await backend.call("get_patient", { id: 1 });
      await backend.call("logout");
      await backend.call("login", { input: { username: ADMIN.username, password: ADMIN.password } });
    }
  }

  /** The whole log, newest first, read through the real command. */
  async function wholeLog(backend: TestBackend): Promise<AuditItem[]> {
    const page = await backend.call("audit_page", {
      filter: { username: "", action: "", from: "", to: "", before_id: null, limit: 1000 },
    });
    return page.items;
  }

  async function openAudit() {
    const app = await renderHomeWith({ patients: [{ first_name: "Emma", last_name: "Smith" }] }, seed);
    await app.user.click(screen.getByTestId("nav-audit"));
    await screen.findByTestId("audit-table");
    return app;
  }

  test("also opens from Settings (the header hides it in a narrow window)", async () => {
    const { user } = await renderHome();
    await user.click(screen.getByTestId("nav-settings"));
    await user.click(await screen.findByTestId("settings-open-audit"));
    expect(await screen.findByTestId("audit-screen")).toBeTruthy();
    expect(screen.getByTestId("nav-audit").getAttribute("aria-current")).toBe("page");
  });

  const ids = () => screen.getAllByTestId("audit-row").map((r) => Number(r.getAttribute("data-id")));

  test("newest first, 50 at a time; Older entries pages on with before_id", async () => {
    const { user, backend } = await openAudit();
    const all = (await wholeLog(backend)).map((e) => e.id);
    expect(all.length).toBeGreaterThan(60);
    expect(all.length).toBeLessThanOrEqual(100);
    expect(ids()).toEqual(all.slice(0, 50));
    await user.click(screen.getByTestId("audit-older"));
    await waitFor(() => expect(ids()).toHaveLength(all.length));
    expect(ids()).toEqual(all);
    expect(screen.queryByTestId("audit-older")).toBeNull();
    const pages = backend.calls.filter((c) => c.command === "audit_page").map((c) => (c.args.filter as { before_id: number | null }).before_id);
    expect(pages).toEqual([null, all[49]]);
  });

  test("an entry about a patient names them by number (P-000001), not the database id", async () => {
    await openAudit();
    const views = screen.getAllByTestId("audit-row").filter((r) => text(r).includes("patient.view"));
    expect(views.length).toBeGreaterThan(0);
    for (const row of views) {
      expect(text(row)).toContain("patient P-000001");
      expect(text(row)).not.toMatch(/patient 1\b/);
    }
  });

  test("filters by user, action and days; a bad date is shown beside its field", async () => {
    const { user, backend } = await openAudit();
    const rows = () => screen.getAllByTestId("audit-row").map((r) => text(r));
    await user.type(screen.getByTestId("audit-username"), "desk");
    await user.type(screen.getByTestId("audit-action"), "login");
    await user.click(screen.getByTestId("audit-apply"));
    // The desk signed in once a day.
    await waitFor(() => expect(ids()).toHaveLength(3));
    for (const row of rows()) {
      expect(row).toContain("desk");
      expect(row).toContain("login");
      expect(row).not.toContain("patient.view");
    }
    const deskLogins = (await wholeLog(backend)).filter((e) => e.username === "desk" && e.action === "login");
    expect(ids()).toEqual(deskLogins.map((e) => e.id));

    // A JSON detail reads as words: booking a consultation records its appointment, date and time.
    await backend.call("book_consultation", { patient_id: 1, date: TODAY, time: "09:15" });
    const booked = (await wholeLog(backend))[0];
    await user.clear(screen.getByTestId("audit-username"));
    await user.clear(screen.getByTestId("audit-action"));
    await user.type(screen.getByTestId("audit-action"), booked.action);
    await user.click(screen.getByTestId("audit-apply"));
    await waitFor(() => expect(ids()[0]).toBe(booked.id));
    expect(text(screen.getAllByTestId("audit-row")[0].querySelector(".detail")!)).toMatch(
      new RegExp(`^appointment: \\d+ · date: ${TODAY} · time: 09:15$`),
    );
    await user.type(screen.getByTestId("audit-username"), "desk");
    await user.clear(screen.getByTestId("audit-action"));
    await user.type(screen.getByTestId("audit-action"), "login");
    await user.click(screen.getByTestId("audit-apply"));
    await waitFor(() => expect(ids()).toHaveLength(3));

    await user.type(screen.getByTestId("audit-from"), "20261399");
    await user.click(screen.getByTestId("audit-apply"));
    expect(text(await screen.findByTestId("error-from"))).toMatch(/is not a date/);
    expect(ids()).toHaveLength(3); // the last good result stays

    const from = screen.getByTestId("audit-from");
    await user.clear(from);
    await user.type(from, "2026-03-03");
    await user.type(screen.getByTestId("audit-to"), "2026-03-03");
    await user.click(screen.getByTestId("audit-apply"));
    await waitFor(() => expect(ids()).toEqual([deskLogins[1].id]));
    expect(deskLogins[1].at.slice(0, 10)).toBe("2026-03-03");
    expect(screen.queryByTestId("error-from")).toBeNull();
  });

  test("Verify chain says Intact; Export CSV writes the whole log through a save dialog", async () => {
    const { user, backend } = await openAudit();
    await user.click(screen.getByTestId("audit-verify"));
    const verdict = await screen.findByTestId("audit-verdict");
    expect(text(verdict)).toMatch(/^Intact/);
    expect(verdict.classList.contains("broken")).toBe(false);

    const entries = (await wholeLog(backend)).length;
    const csv = `${await backend.folder()}/audit.csv`;
    backend.dialog.save.push(csv);
    await user.click(screen.getByTestId("audit-export"));
    expect(text(await screen.findByTestId("audit-export-note"))).toBe(`${entries} entries written to ${csv}.`);
    expect(backend.calls.find((c) => c.command === "export_audit")?.args).toEqual({ path: csv });
    const lines = readText(csv).split(/\r?\n/).filter(Boolean);
    expect(lines).toHaveLength(entries + 1); // a header, then one line an entry
  });
});
