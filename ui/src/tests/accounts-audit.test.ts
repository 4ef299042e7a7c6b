import { screen, waitFor, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, test } from "vitest";
import type { MockBackend } from "../lib/backend/mock";
import { TODAY, pinToday, renderHome } from "./helpers";

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
    expect(cells(row("admin"))).toEqual(["Dr Amira Haddad (you)", "admin", "Admin, Practitioner", "Active", "Reset password Deactivate"]);

    await user.click(screen.getByTestId("account-new"));
    const dialog = await screen.findByTestId("account-dialog");
    expect(text(dialog)).toContain("unrelated words are best");
    await user.click(within(dialog).getByTestId("account-save"));
    expect(text(await within(dialog).findByTestId("error-username"))).toBe("Enter a user name.");
    expect(text(within(dialog).getByTestId("error-display_name"))).toBe("Enter the person's full name.");
    expect(text(within(dialog).getByTestId("error-password"))).toBe("Enter a password.");
    expect(text(within(dialog).getByTestId("error-roles"))).toBe("Give the account at least one role.");

    await user.type(within(dialog).getByTestId("account-username"), "desk");
    await user.type(within(dialog).getByTestId("account-display-name"), "Lena Kovač");
    await user.type(within(dialog).getByTestId("account-password"), "too short");
    await user.click(within(dialog).getByTestId("account-role-practitioner"));
    await user.click(within(dialog).getByTestId("account-role-receptionist"));
    await user.click(within(dialog).getByTestId("account-save"));
    expect(text(await within(dialog).findByTestId("error-username"))).toMatch(/"desk" is taken/);
    expect(text(within(dialog).getByTestId("error-password"))).toMatch(/at least 12 characters/);
    expect(within(dialog).queryByTestId("error-roles")).toBeNull();
    expect(backend.users).toHaveLength(2);

    const username = within(dialog).getByTestId("account-username");
    await user.clear(username);
    await user.type(username, "lena.k");
    await user.type(within(dialog).getByTestId("account-password"), " but now it is a long phrase");
    await user.click(within(dialog).getByTestId("account-save"));
    await waitFor(() => expect(screen.queryByTestId("account-dialog")).toBeNull());
    expect(text(screen.getByTestId("accounts-notice"))).toBe('The account "lena.k" (Lena Kovač) can now sign in.');
    expect(cells(row("lena.k")).slice(0, 4)).toEqual(["Lena Kovač", "lena.k", "Practitioner, Receptionist", "Active"]);
    expect(backend.calls.find((c) => c.command === "create_user")?.args).toBeTruthy();
  });

  test("deactivating yourself is refused with the backend's message; another account is deactivated, never deleted", async () => {
    const { user, backend } = await openUsers();
    await user.click(within(row("admin")).getByTestId("account-deactivate"));
    const dialog = screen.getByRole("dialog");
    expect(text(dialog)).toMatch(/Nothing is deleted/);
    await user.click(within(dialog).getByTestId("dialog-confirm"));
    expect(text(await within(dialog).findByRole("alert"))).toBe("You cannot deactivate your own account.");
    await user.click(within(dialog).getByTestId("dialog-cancel"));

    await user.click(within(row("desk")).getByTestId("account-deactivate"));
    await user.click(within(screen.getByRole("dialog")).getByTestId("dialog-confirm"));
    await waitFor(() => expect(within(row("desk")).queryByTestId("account-deactivated")).toBeTruthy());
    expect(within(row("desk")).queryByTestId("account-deactivate")).toBeNull();
    expect(backend.users.map((u) => u.username)).toEqual(["admin", "desk"]);
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
    expect(backend.users.find((u) => u.username === "desk")?.password).toBe("12345678 blue lagoon");
  });

  test("a receptionist has no Users section and no audit log", async () => {
    const { user } = await renderHome({ signedInAs: "receptionist" });
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
  /** 60 entries over three days: desk and admin alternating. */
  function seed(backend: MockBackend): void {
    for (let i = 1; i <= 60; i++) {
      const day = i <= 20 ? "2026-03-02" : i <= 40 ? "2026-03-03" : TODAY;
      const who = i % 2 ? "desk" : "admin";
      const action = i % 3 === 0 ? "document.print" : i % 3 === 1 ? "login" : "patient.read";
      backend.admin.addAudit(who, action, "patient", String(i), i % 3 === 0 ? "aftercare" : "", `${day}T0${i % 10}:15:00Z`);
    }
  }

  async function openAudit() {
    const app = await renderHome();
    seed(app.backend);
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
    expect(ids()).toHaveLength(50);
    expect(ids()[0]).toBe(60);
    expect(ids()[49]).toBe(11);
    await user.click(screen.getByTestId("audit-older"));
    await waitFor(() => expect(ids()).toHaveLength(60));
    expect(ids().at(-1)).toBe(1);
    expect(screen.queryByTestId("audit-older")).toBeNull();
    const pages = backend.calls.filter((c) => c.command === "audit_page").map((c) => (c.args.filter as { before_id: number | null }).before_id);
    expect(pages).toEqual([null, 11]);
  });

  test("filters by user, action and days; a bad date is shown beside its field", async () => {
    const { user, backend } = await openAudit();
    await user.type(screen.getByTestId("audit-username"), "desk");
    await user.type(screen.getByTestId("audit-action"), "login");
    await user.click(screen.getByTestId("audit-apply"));
    await waitFor(() => expect(ids()).toHaveLength(10));
    await user.click(screen.getByTestId("audit-apply"));
    await waitFor(() => expect(ids().every((id) => id % 2 === 1 && id % 3 === 1)).toBe(true));
    expect(ids()).toEqual([55, 49, 43, 37, 31, 25, 19, 13, 7, 1]);
    expect(text(screen.getAllByTestId("audit-row")[0])).toContain("login");

    // A JSON detail reads as words.
    backend.admin.addAudit("desk", "document.print", "patient", "3", '{"kind":"aftercare","pages":1}');
    await user.clear(screen.getByTestId("audit-action"));
    await user.type(screen.getByTestId("audit-action"), "document");
    await user.click(screen.getByTestId("audit-apply"));
    await waitFor(() => expect(ids()[0]).toBe(61));
    expect(text(screen.getAllByTestId("audit-row")[0].querySelector(".detail")!)).toBe("kind: aftercare · pages: 1");
    await user.clear(screen.getByTestId("audit-action"));
    await user.type(screen.getByTestId("audit-action"), "login");
    await user.click(screen.getByTestId("audit-apply"));
    await waitFor(() => expect(ids()).toHaveLength(10));

    await user.type(screen.getByTestId("audit-from"), "20261399");
    await user.click(screen.getByTestId("audit-apply"));
    expect(text(await screen.findByTestId("error-from"))).toMatch(/is not a date/);
    expect(ids()).toHaveLength(10); // the last good result stays

    const from = screen.getByTestId("audit-from");
    await user.clear(from);
    await user.type(from, "2026-03-03");
    await user.type(screen.getByTestId("audit-to"), "2026-03-03");
    await user.click(screen.getByTestId("audit-apply"));
    await waitFor(() => expect(ids()).toEqual([37, 31, 25]));
    expect(screen.queryByTestId("error-from")).toBeNull();
  });

  test("Verify chain says Intact, or the broken entry in red; Export CSV writes through a save dialog", async () => {
    const { user, backend } = await openAudit();
    await user.click(screen.getByTestId("audit-verify"));
    expect(text(await screen.findByTestId("audit-verdict"))).toMatch(/^Intact/);

    backend.admin.auditBrokenAt.id = 17;
    await user.click(screen.getByTestId("audit-verify"));
    await waitFor(() => expect(text(screen.getByTestId("audit-verdict"))).toMatch(/^Broken at entry 17/));
    const verdict = screen.getByTestId("audit-verdict");
    expect(verdict.classList.contains("broken")).toBe(true);
    expect(verdict.getAttribute("role")).toBe("alert");

    backend.sessions.dialog.save = "/home/clinic/audit.csv";
    await user.click(screen.getByTestId("audit-export"));
    expect(text(await screen.findByTestId("audit-export-note"))).toBe("60 entries written to /home/clinic/audit.csv.");
    expect(backend.calls.find((c) => c.command === "export_audit")?.args).toEqual({ path: "/home/clinic/audit.csv" });
  });
});
