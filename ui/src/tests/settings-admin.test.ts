import { fireEvent, screen, waitFor, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, test } from "vitest";
import { call } from "../lib/backend";
import { listFolder, makeFolder, readBytes, readText, removeFile, writeFile } from "./fixtures-desk";
import { TODAY, pinToday, renderHome } from "./helpers";
import { appLock } from "../lib/lock.svelte";

beforeEach(() => pinToday());

/** A 1×1 PNG. */
const PNG_1X1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

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
    expect((await backend.call("clinic_settings")).details).toMatchObject({
      name: "Clearskin Clinic Harley Street",
      phone: "+44 20 7946 0999",
      email: "",
    });
    expect(screen.queryByTestId("error-phone")).toBeNull();
  });

  test("a logo that is not an image is refused beside the logo; a PNG is shown, and can be removed", async () => {
    const { user, backend } = await openSettings();
    expect(text(screen.getByTestId("settings-logo"))).toContain("No logo");
    const folder = await backend.folder();
    const pdf = `${folder}/letterhead.pdf`;
    writeFile(pdf, "%PDF-1.4\n% not an image\n");
    backend.dialog.open.push(pdf);
    await user.click(screen.getByTestId("settings-logo-choose"));
    expect(text(await screen.findByTestId("error-logo"))).toBe(
      "The logo must be a PNG or JPEG image; this file is not one. The logo was not changed.",
    );
    expect(screen.queryByTestId("settings-logo-preview")).toBeNull();

    const png = `${folder}/logo.png`;
    writeFile(png, Uint8Array.from(atob(PNG_1X1), (c) => c.charCodeAt(0)));
    backend.dialog.open.push(png);
    await user.click(screen.getByTestId("settings-logo-choose"));
    const img = (await screen.findByTestId("settings-logo-preview")) as HTMLImageElement;
    expect(img.src).toMatch(/^blob:/);
    expect(screen.queryByTestId("error-logo")).toBeNull();
    expect(backend.calls.filter((c) => c.command === "set_logo").map((c) => c.args)).toEqual([{ path: pdf }, { path: png }]);
    expect(new Uint8Array(await backend.call("logo_data"))).toEqual(readBytes(png));

    await user.click(screen.getByTestId("settings-logo-remove"));
    await waitFor(() => expect(screen.queryByTestId("settings-logo-preview")).toBeNull());
    expect((await backend.call("logo_data")).byteLength).toBe(0);
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
    expect((await backend.call("clinic_settings")).settings.paper).toBe("a4"); // nothing saved

    await fireEvent.input(area, { target: { value: area.value.replace("{no_retinl_until}", "{no_retinol_until}") } });
    expect(screen.queryByTestId("error-aftercare_template")).toBeNull();
    await user.click(screen.getByTestId("settings-printing-save"));
    expect(await screen.findByTestId("settings-printing-notice")).toBeTruthy();
    const saved = (await backend.call("clinic_settings")).settings;
    expect(saved.paper).toBe("letter");
    expect(saved.aftercare_template).toMatch(/- No sauna until \{no_retinol_until\}$/);
  });

  test("the idle minutes: out of range refused beside the field; saved, the lock uses them", async () => {
    const { user, backend } = await openSettings();
    const minutes = screen.getByTestId("settings-idle-minutes");
    await user.clear(minutes);
    await user.type(minutes, "500");
    await user.click(screen.getByTestId("settings-security-save"));
    expect(text(await screen.findByTestId("error-idle_lock_minutes"))).toBe("Lock after 1 to 240 minutes without use.");
    await user.clear(minutes);
    await user.type(minutes, "5");
    await user.click(screen.getByTestId("settings-security-save"));
    expect(text(await screen.findByTestId("settings-security-notice"))).toBe("Dermis now locks after 5 minutes without use.");
    expect((await backend.call("clinic_settings")).settings.idle_lock_minutes).toBe(5);
    expect(appLock.idleMinutes).toBe(5);
    appLock.idleMinutes = 10;
  });
});

describe("Settings → Backups and Export", () => {
  /** A folder on the host, standing for a USB stick. */
  async function usbStick(backend: { folder(): Promise<string> }): Promise<string> {
    const usb = `${await backend.folder()}/usb`;
    makeFolder(usb);
    return usb;
  }
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

  test("Back up now asks for a folder and shows the verified summary", async () => {
    const { user, backend } = await openSettings();
    await waitFor(() => expect(text(screen.getByTestId("backup-last"))).toBe("No backup has been made yet."));
    await user.click(screen.getByTestId("backup-now")); // dialog cancelled: nothing happens
    expect(backend.calls.some((c) => c.command === "backup_now")).toBe(false);
    const usb = await usbStick(backend);
    backend.dialog.open.push(usb);
    await user.click(screen.getByTestId("backup-now"));
    const summary = text(await screen.findByTestId("backup-summary"));
    expect(summary).toMatch(
      new RegExp(`^Backup written and verified: ${escape(usb)}/dermis-\\d{8}-\\d{6}\\.db — 1 patients, 0 sessions, 0 photos, \\d+(\\.\\d)? [KM]B\\.$`),
    );
    const written = listFolder(usb).filter((f) => f.endsWith(".db"));
    expect(written).toHaveLength(1);
    expect(summary).toContain(written[0]);
    await waitFor(() => expect(text(screen.getByTestId("backup-last"))).toMatch(/^Last good backup: .*\(.*dermis-\d{8}-\d{6}\.db\)$/));
  });

  test("Restore shows what the backup holds and a warning before replacing anything; bad files are explained", async () => {
    const { user, backend } = await openSettings();
    const usb = await usbStick(backend);
    const notes = `${usb}/notes.txt`;
    writeFile(notes, "Remember to buy printer paper.\n");
    backend.dialog.open.push(notes);
    await user.click(screen.getByTestId("restore-choose"));
    expect(text(await screen.findByTestId("restore-error"))).toBe(`${notes} cannot be restored: it is not a database file at all.`);

    // A real backup (Emma Smith and one photo of her); then a second patient is registered.
    const photo = `${await backend.folder()}/cheek.png`;
    writeFile(photo, Uint8Array.from(atob(PNG_1X1), (c) => c.charCodeAt(0)));
    await backend.call("import_photo", {
      patient_id: 1,
      import: { path: photo, tags: { taken_on: TODAY, area: "cheeks", angle: "front", session_record_id: null, assessment_id: null } },
    });
    const good = (await backend.call("backup_now", { folder: usb })).path;
    // The photo's file goes missing from the backup's photo folder (a copy cut short).
    const photos = good.replace(/\.db$/, "-photos");
    const shards = listFolder(photos).filter((n) => n !== "thumbs"); // content-addressed: <2 hex>/<sha>
    expect(shards).toHaveLength(1);
    const files = listFolder(`${photos}/${shards[0]}`);
    expect(files).toHaveLength(1);
    removeFile(`${photos}/${shards[0]}/${files[0]}`);
    await backend.call("create_patient", {
      input: {
        first_name: "Noah",
        last_name: "Jones",
        date_of_birth: "1992-05-06",
        sex: null,
        phone: "",
        email: "",
        address: "",
        preferred_language: "en",
        notes: "",
      },
    });

    // The same file claiming a newer schema (PRAGMA user_version is bytes 60–63 of the header).
    const newer = `${usb}/dermis-20270101-090000.db`;
    const bytes = readBytes(good);
    new DataView(bytes.buffer).setUint32(60, 99); // big-endian
    writeFile(newer, bytes);
    backend.dialog.open.push(newer);
    await user.click(screen.getByTestId("restore-choose"));
    await waitFor(() =>
      expect(text(screen.getByTestId("restore-error"))).toMatch(
        new RegExp(`^${escape(newer)} cannot be restored: it comes from a newer Dermis \\(schema 99; this one knows up to \\d+\\)\\. Update Dermis first\\.$`),
      ),
    );
    expect(screen.queryByRole("dialog")).toBeNull();

    // Cut short, as a copy interrupted half-way.
    const cut = `${usb}/dermis-20260302-120000.db`;
    writeFile(cut, readBytes(good).subarray(0, 4096 + 100));
    backend.dialog.open.push(cut);
    await user.click(screen.getByTestId("restore-choose"));
    await waitFor(() => expect(text(screen.getByTestId("restore-error"))).toMatch(/^.*dermis-20260302-120000\.db cannot be restored: it is damaged/));
    expect(screen.queryByRole("dialog")).toBeNull();

    backend.dialog.open.push(good);
    await user.click(screen.getByTestId("restore-choose"));
    const dialog = await screen.findByRole("dialog");
    const preview = within(dialog).getByTestId("restore-preview");
    const name = good.split("/").at(-1)!;
    const [, y, mo, d, h, mi] = /^dermis-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})\d{2}\.db$/.exec(name)!;
    expect(`${y}-${mo}-${d}`).toBe(TODAY);
    expect(text(within(preview).getByTestId("restore-date"))).toBe(`${y}-${mo}-${d} ${h}:${mi}`);
    expect(text(within(preview).getByTestId("restore-patients"))).toBe("1");
    expect(text(within(preview).getByTestId("restore-sessions"))).toBe("0");
    expect(text(within(preview).getByTestId("restore-photos"))).toBe("1 (1 missing from the backup's photo folder)");
    expect(text(dialog)).toMatch(/Everything entered since this backup was made will be replaced/);
    expect(backend.calls.some((c) => c.command === "restore_backup")).toBe(false);
    expect((await backend.call("search_patients", { search: { query: "", include_archived: true, offset: 0, limit: 50 } })).items).toHaveLength(2);

    await user.click(within(dialog).getByTestId("dialog-confirm"));
    expect(text(await screen.findByTestId("restore-done"))).toMatch(
      new RegExp(`^Restored ${escape(name)}: 1 patients, 0 sessions, 1 photos, \\d+(\\.\\d)? [KM]B\\. The data from before is kept beside the database\\.$`),
    );
    expect(backend.calls.filter((c) => c.command === "restore_backup").map((c) => c.args)).toEqual([{ path: good }]);
    // Noah Jones, registered after the backup, is gone.
    const after = await call("search_patients", { search: { query: "", include_archived: true, offset: 0, limit: 50 } });
    expect(after.items.map((p) => p.last_name)).toEqual(["Smith"]);
  });

  test("Export as CSV into a folder or as one JSON file, with the summary", async () => {
    const { user, backend } = await openSettings();
    const folder = await backend.folder();
    const csv = `${folder}/export`;
    makeFolder(csv);
    backend.dialog.open.push(csv);
    await user.click(screen.getByTestId("export-run"));
    const summary = text(await screen.findByTestId("export-summary"));
    const files = listFolder(csv);
    expect(summary).toBe(
      `Exported 1 patients, 0 assessments, 0 plans, 0 sessions and 0 adverse events to ${csv} (${files.length} files).`,
    );
    expect(readText(`${csv}/patients.csv`)).toContain("Emma");
    await user.click(screen.getByTestId("export-format-json"));
    const json = `${folder}/dermis.json`;
    backend.dialog.save.push(json);
    await user.click(screen.getByTestId("export-run"));
    await waitFor(() => expect(text(screen.getByTestId("export-summary"))).toMatch(new RegExp(`to ${escape(json)}\\.$`)));
    expect(JSON.stringify(JSON.parse(readText(json)))).toContain("Smith");
    expect(backend.calls.filter((c) => c.command === "export_data").map((c) => c.args)).toEqual([
      { format: "csv", path: csv },
      { format: "json", path: json },
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
    expect(text(await screen.findByTestId("error-depth_chart.forehead.thin"))).toBe(
      "Forehead (thin skin): the lowest depth is above the highest.",
    );
    await user.clear(min);
    await user.type(min, "0.3");
    await user.click(screen.getByTestId("settings-depth-save"));
    expect(await screen.findByTestId("settings-depth-notice")).toBeTruthy();
    const chart = await backend.call("depth_chart");
    expect(chart.find((z) => z.zone === "forehead")?.thin).toEqual({ min_um: 300, max_um: 500 });
  });
});
