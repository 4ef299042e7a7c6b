import { fireEvent, screen, waitFor, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, test } from "vitest";
import { pinToday, renderHome } from "./helpers";
import { appLock } from "../lib/lock.svelte";

beforeEach(() => pinToday());

const text = (el: Element) => el.textContent?.replace(/\s+/g, " ").trim() ?? "";

async function openSettings() {
  const app = await renderHome({ patients: [{ first_name: "Emma", last_name: "Smith" }] });
  await app.user.click(screen.getByTestId("nav-settings"));
  await screen.findByTestId("settings-clinic-form");
  return app;
}

describe("Settings → Clinic", () => {
  test("clinic details are saved with field errors beside the fields", async () => {
    const { user, backend } = await openSettings();
    const name = screen.getByTestId("clinic-name-input") as HTMLInputElement;
    expect(name.value).toBe("Clearskin Clinic");
    await user.clear(name);
    const phone = screen.getByTestId("clinic-phone");
    await user.clear(phone);
    await user.type(phone, "ring us");
    await user.type(screen.getByTestId("clinic-email"), "not-an-address");
    await user.click(screen.getByTestId("settings-clinic-save"));
    expect(text(await screen.findByTestId("error-clinic_name"))).toBe("Enter the clinic's name.");
    expect(text(screen.getByTestId("error-phone"))).toMatch(/can only contain digits/);
    expect(text(screen.getByTestId("error-email"))).toMatch(/is not an e-mail address/);

    await user.type(name, "Clearskin Clinic Harley Street");
    await user.clear(phone);
    await user.type(phone, "+44 20 7946 0999");
    await user.clear(screen.getByTestId("clinic-email"));
    await user.click(screen.getByTestId("settings-clinic-save"));
    expect(await screen.findByTestId("settings-clinic-notice")).toBeTruthy();
    expect(backend.admin.details).toMatchObject({ name: "Clearskin Clinic Harley Street", phone: "+44 20 7946 0999", email: "" });
    expect(screen.queryByTestId("error-phone")).toBeNull();
  });

  test("a logo that is not an image is refused beside the logo; a PNG is shown, and can be removed", async () => {
    const { user, backend } = await openSettings();
    expect(text(screen.getByTestId("settings-logo"))).toContain("No logo");
    backend.sessions.dialog.open = ["/home/clinic/letterhead.pdf"];
    await user.click(screen.getByTestId("settings-logo-choose"));
    expect(text(await screen.findByTestId("error-logo"))).toBe(
      "The logo must be a PNG or JPEG image; this file is not one. The logo was not changed.",
    );
    expect(screen.queryByTestId("settings-logo-preview")).toBeNull();

    backend.sessions.dialog.open = ["/home/clinic/logo.png"];
    await user.click(screen.getByTestId("settings-logo-choose"));
    const img = (await screen.findByTestId("settings-logo-preview")) as HTMLImageElement;
    expect(img.src).toMatch(/^blob:/);
    expect(screen.queryByTestId("error-logo")).toBeNull();
    expect(backend.calls.find((c) => c.command === "set_logo")?.args).toEqual({ path: "/home/clinic/letterhead.pdf" });

    await user.click(screen.getByTestId("settings-logo-remove"));
    await waitFor(() => expect(screen.queryByTestId("settings-logo-preview")).toBeNull());
    expect(backend.admin.logo.bytes.length).toBe(0);
  });
});

describe("Settings → Printing and Security", () => {
  test("the aftercare text: the default until unticked; an unknown placeholder is named beside the text", async () => {
    const { user, backend } = await openSettings();
    const area = screen.getByTestId("settings-aftercare-text") as HTMLTextAreaElement;
    expect(area.disabled).toBe(true);
    expect(area.value).toMatch(/^# The first 48 hours/);
    const placeholders = screen.getByTestId("settings-placeholders");
    expect(text(placeholders)).toContain("{no_retinol_until}: one week after the treatment");

    await user.click(screen.getByTestId("settings-aftercare-default"));
    expect(area.disabled).toBe(false);
    await user.click(area);
    await user.keyboard("{Control>}{End}{/Control}");
    await user.type(area, "\n- No sauna until {{no_retinl_until}", { skipClick: true });
    await user.click(screen.getByTestId("settings-paper-letter"));
    await user.click(screen.getByTestId("settings-printing-save"));
    expect(text(await screen.findByTestId("error-aftercare_template"))).toMatch(
      /^The aftercare text uses an unknown placeholder \{no_retinl_until\}\. Known placeholders: \{treatment_date\}/,
    );
    expect(backend.admin.clinicSettings.paper).toBe("a4"); // nothing saved

    await fireEvent.input(area, { target: { value: area.value.replace("{no_retinl_until}", "{no_retinol_until}") } });
    expect(screen.queryByTestId("error-aftercare_template")).toBeNull();
    await user.click(screen.getByTestId("settings-printing-save"));
    expect(await screen.findByTestId("settings-printing-notice")).toBeTruthy();
    expect(backend.admin.clinicSettings.paper).toBe("letter");
    expect(backend.admin.clinicSettings.aftercare_template).toMatch(/- No sauna until \{no_retinol_until\}$/);
  });

  test("the idle minutes: out of range refused beside the field; saved, the lock uses them", async () => {
    const { user, backend } = await openSettings();
    const minutes = screen.getByTestId("settings-idle-minutes");
    await user.clear(minutes);
    await user.type(minutes, "500");
    await user.click(screen.getByTestId("settings-security-save"));
    expect(text(await screen.findByTestId("error-idle_lock_minutes"))).toBe("The idle lock is 1 to 240 minutes.");
    await user.clear(minutes);
    await user.type(minutes, "5");
    await user.click(screen.getByTestId("settings-security-save"));
    expect(text(await screen.findByTestId("settings-security-notice"))).toBe("Dermis now locks after 5 minutes without use.");
    expect(backend.admin.clinicSettings.idle_lock_minutes).toBe(5);
    expect(appLock.idleMinutes).toBe(5);
    appLock.idleMinutes = 10;
  });
});

describe("Settings → Backups and Export", () => {
  test("Back up now asks for a folder and shows the verified summary", async () => {
    const { user, backend } = await openSettings();
    expect(text(await screen.findByTestId("backup-last"))).toMatch(/^Last good backup:/);
    await user.click(screen.getByTestId("backup-now")); // dialog cancelled: nothing happens
    expect(backend.calls.some((c) => c.command === "backup_now")).toBe(false);
    backend.sessions.dialog.open = ["/media/usb"];
    await user.click(screen.getByTestId("backup-now"));
    expect(text(await screen.findByTestId("backup-summary"))).toMatch(
      /^Backup written and verified: \/media\/usb\/dermis-\d{8}-\d{6}\.db — 1 patients, 0 sessions, 0 photos, 2\.0 MB\.$/,
    );
  });

  test("Restore shows what the backup holds and a warning before replacing anything; bad files are explained", async () => {
    const { user, backend } = await openSettings();
    backend.sessions.dialog.open = ["/media/usb/notes.txt"];
    await user.click(screen.getByTestId("restore-choose"));
    expect(text(await screen.findByTestId("restore-error"))).toBe(
      "/media/usb/notes.txt cannot be restored: it is not a database file at all.",
    );

    const newer = "/media/usb/dermis-20270101-090000.db";
    backend.admin.backupFiles[newer] = {
      code: "validation",
      message: `${newer} cannot be restored: it comes from a newer Dermis (schema 14; this one knows up to 9). Update Dermis first.`,
    };
    backend.sessions.dialog.open = [newer];
    await user.click(screen.getByTestId("restore-choose"));
    await waitFor(() => expect(text(screen.getByTestId("restore-error"))).toMatch(/comes from a newer Dermis/));
    expect(screen.queryByRole("dialog")).toBeNull();

    const good = "/media/usb/dermis-20260301-183000.db";
    const n = (v: number) => v as unknown as bigint;
    backend.admin.backupFiles[good] = {
      path: good,
      schema_version: n(9),
      patients: n(40),
      sessions: n(120),
      bytes: 3_000_000,
      photos: n(35),
      photos_missing: n(2),
    };
    backend.sessions.dialog.open = [good];
    await user.click(screen.getByTestId("restore-choose"));
    const dialog = await screen.findByRole("dialog");
    const preview = within(dialog).getByTestId("restore-preview");
    expect(text(within(preview).getByTestId("restore-date"))).toBe("2026-03-01 18:30");
    expect(text(within(preview).getByTestId("restore-patients"))).toBe("40");
    expect(text(within(preview).getByTestId("restore-sessions"))).toBe("120");
    expect(text(within(preview).getByTestId("restore-photos"))).toBe("35 (2 missing from the backup's photo folder)");
    expect(text(dialog)).toMatch(/Everything entered since this backup was made will be replaced/);
    expect(backend.calls.some((c) => c.command === "restore_backup")).toBe(false);

    await user.click(within(dialog).getByTestId("dialog-confirm"));
    expect(text(await screen.findByTestId("restore-done"))).toBe(
      "Restored dermis-20260301-183000.db: 40 patients, 120 sessions, 35 photos, 2.9 MB. The data from before is kept beside the database.",
    );
    expect(backend.calls.filter((c) => c.command === "restore_backup").map((c) => c.args)).toEqual([{ path: good }]);
  });

  test("Export as CSV into a folder or as one JSON file, with the summary", async () => {
    const { user, backend } = await openSettings();
    backend.sessions.dialog.open = ["/home/clinic/export"];
    await user.click(screen.getByTestId("export-run"));
    expect(text(await screen.findByTestId("export-summary"))).toBe(
      "Exported 1 patients, 3 assessments, 0 plans, 12 sessions and 1 adverse events to /home/clinic/export (5 files).",
    );
    await user.click(screen.getByTestId("export-format-json"));
    backend.sessions.dialog.save = "/home/clinic/dermis.json";
    await user.click(screen.getByTestId("export-run"));
    await waitFor(() => expect(text(screen.getByTestId("export-summary"))).toMatch(/to \/home\/clinic\/dermis\.json\.$/));
    expect(backend.calls.filter((c) => c.command === "export_data").map((c) => c.args)).toEqual([
      { format: "csv", path: "/home/clinic/export" },
      { format: "json", path: "/home/clinic/dermis.json" },
    ]);
  });
});

describe("Settings → Depth chart", () => {
  test("a range the wrong way round is refused beside its zone; a good chart is saved", async () => {
    const { user, backend } = await openSettings();
    const min = await screen.findByTestId("depth-forehead-thin-min");
    await user.clear(min);
    await user.type(min, "0.9");
    await user.click(screen.getByTestId("settings-depth-save"));
    expect(text(await screen.findByTestId("error-depth_chart.forehead.thin"))).toBe("The lowest depth is above the highest.");
    await user.clear(min);
    await user.type(min, "0.3");
    await user.click(screen.getByTestId("settings-depth-save"));
    expect(await screen.findByTestId("settings-depth-notice")).toBeTruthy();
    expect(backend.sessions.depthChart.find((z) => z.zone === "forehead")?.thin).toEqual({ min_um: 300, max_um: 500 });
  });
});
