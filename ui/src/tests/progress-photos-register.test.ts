import { render, screen, waitFor, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, test, vi } from "vitest";
import { useDialogs, type Dialogs } from "../lib/backend";
import type { Progress } from "../lib/bindings/Progress";
import ProgressChart from "../lib/components/ProgressChart.svelte";
import { GRADE_3_NORMAL, acceptPlan, assess, patientId, putFile, putPhoto, readHostFile, screenPatient, tinyJpeg, tinyPng } from "./fixtures-treatment";
import { TODAY, openPatientTab, pinToday, renderHome, type TestBackend } from "./helpers";

beforeEach(() => pinToday());

describe("progress chart", () => {
  const progress: Progress = {
    points: [
      { assessment_id: 1, date: "2025-09-01", score: 18, grade: 3 },
      { assessment_id: 2, date: "2025-12-01", score: 16, grade: 3 },
      { assessment_id: 3, date: "2026-03-01", score: 15, grade: 3 },
    ],
    baseline: 18,
    latest: 15,
    change: -3,
    improvement_percent: 17,
    verdict: "no_clear_change",
    summary:
      "Score 18 → 15: no clear change (a change of 4 points or less is within the variation between assessors).",
  };

  test("shows each assessment's score in order, the improvement and the 'no clear change' verdict", () => {
    render(ProgressChart, { progress });
    const points = screen.getAllByTestId("progress-point");
    expect(points.map((p) => [p.getAttribute("data-date"), p.getAttribute("data-score")])).toEqual([
      ["2025-09-01", "18"],
      ["2025-12-01", "16"],
      ["2026-03-01", "15"],
    ]);
    expect(within(points[0]).getByText("Baseline")).toBeTruthy();
    expect(points[2].textContent).toContain("−3");
    expect(screen.getByTestId("progress-verdict").textContent?.trim()).toBe("No clear change");
    expect(screen.getByTestId("progress-improvement").textContent?.trim()).toBe("17%");
    expect(screen.getByTestId("progress-summary").textContent).toMatch(/no clear change/);
    expect(screen.getByRole("img").getAttribute("aria-label")).toMatch(/18.*16.*15/);
  });

  test("the Progress tab shows the backend's verdict for the patient's assessments", async () => {
    await openPatientTab("progress", { patients: [{ first_name: "Emma", last_name: "Smith" }] }, async (backend) => {
      const id = await patientId(backend);
      for (const [on, severe] of [
        ["2025-09-01", 25],
        ["2025-12-01", 12],
        ["2026-03-01", 5],
      ] as const)
        await assess(backend, id, {
          assessed_on: on,
          scar_types: ["boxcar"],
          counts: { macular: 0, moderate: severe, severe, papular: 0, keloidal: 0 },
        });
    });
    expect(await screen.findAllByTestId("progress-point")).toHaveLength(3);
    expect(screen.getByTestId("progress-verdict").textContent?.trim()).toBe("Improved");
    expect(screen.getByTestId("progress-summary").textContent).toBe("Score 15 → 5 (67% improvement) since the baseline.");
  });
});

/**
 * Records what the file dialogs were asked (their options), answering from
 * backend.dialog like the helpers' stub does.
 */
function recordDialogs(backend: TestBackend) {
  const asked: { open: unknown[]; save: unknown[] } = { open: [], save: [] };
  useDialogs({
    open: (async (options: unknown) => {
      asked.open.push(options);
      return backend.dialog.open.length ? backend.dialog.open.shift() : null;
    }) as Dialogs["open"],
    save: (async (options: unknown) => {
      asked.save.push(options);
      return backend.dialog.save.length ? backend.dialog.save.shift() : null;
    }) as Dialogs["save"],
  });
  return asked;
}

/** Imports a real image file (already in the clinic's folder) through the backend. */
async function importFile(backend: TestBackend, path: string, taken_on: string, angle: "front" | "left" = "front") {
  return backend.call("import_photo", {
    patient_id: await patientId(backend),
    import: { path, tags: { taken_on, area: "cheeks", angle, session_record_id: null, assessment_id: null } },
  });
}

describe("photos", () => {
  const EMMA = [{ first_name: "Emma", last_name: "Smith" }];

  test("imports the files picked in the dialog with their tags; a file that is not an image is refused on its own line", async () => {
    const { user, backend } = await openPatientTab("photos", { patients: EMMA });
    await screen.findByTestId("no-photos");
    const asked = recordDialogs(backend);
    backend.dialog.open.push([
      await putFile(backend, "IMG_0001.jpg", tinyJpeg(180)),
      await putFile(backend, "notes.txt", "Remember the sunscreen.\n"),
      await putFile(backend, "IMG_0002.png", tinyPng([200, 120, 90])),
    ]);
    await user.click(screen.getByTestId("photos-import"));
    const form = await screen.findByTestId("photo-import-form");
    expect(within(form).getAllByTestId("photo-import-file").map((f) => f.getAttribute("data-name"))).toEqual([
      "IMG_0001.jpg",
      "notes.txt",
      "IMG_0002.png",
    ]);
    expect(asked.open[0]).toMatchObject({
      multiple: true,
      filters: [{ name: "Images", extensions: ["jpg", "jpeg", "png", "heic"] }],
    });
    await user.type(screen.getByTestId("photo-taken-on"), "2026-03-02");
    await user.selectOptions(screen.getByTestId("photo-area"), "cheeks");
    await user.selectOptions(screen.getByTestId("photo-angle"), "left_oblique");
    await user.click(screen.getByTestId("photo-import-save"));

    await waitFor(() => expect(screen.getByTestId("photos-notice").textContent).toBe("2 of 3 photos imported."));
    const files = within(screen.getByTestId("photo-import-form")).getAllByTestId("photo-import-file");
    expect(files.map((f) => f.getAttribute("data-status"))).toEqual(["done", "failed", "done"]);
    expect(within(files[1]).getByTestId("photo-import-file-error").textContent).toBe(
      "notes.txt is not a JPEG or PNG image. Nothing was imported.",
    );
    const stored = await backend.call("list_photos", { patient_id: await patientId(backend) });
    expect(stored.map((p) => [p.taken_on, p.area, p.angle]).sort()).toEqual([
      ["2026-03-02", "cheeks", "left_oblique"],
      ["2026-03-02", "cheeks", "left_oblique"],
    ]);
    expect(stored.map((p) => p.mime).sort()).toEqual(["image/jpeg", "image/png"]);
    // The thumbnails come from the backend's bytes as object URLs.
    await waitFor(() => expect(screen.getAllByTestId("photo-thumb")).toHaveLength(2));
    expect(screen.getAllByTestId("photo-thumb")[0].getAttribute("src")).toMatch(/^blob:/);
    expect(screen.getByTestId("photo-day").getAttribute("data-day")).toBe("2026-03-02");
  });

  test("shows the first and the latest photo of an area and angle side by side, full size, and frees the images when left", async () => {
    const revoke = vi.spyOn(URL, "revokeObjectURL");
    const ids: number[] = [];
    const { user, backend } = await openPatientTab("photos", { patients: EMMA }, async (backend) => {
      for (const [name, on, angle, rgb] of [
        ["baseline.png", "2025-09-01", "front", [120, 60, 50]],
        ["middle.png", "2025-12-01", "front", [150, 90, 70]],
        ["latest.png", "2026-03-01", "front", [190, 140, 120]],
        ["side.png", "2026-03-01", "left", [90, 40, 30]],
      ] as const)
        ids.push((await importFile(backend, await putPhoto(backend, name, [...rgb]), on, angle)).id);
    });
    const pair = await screen.findByTestId("before-after");
    expect(screen.getAllByTestId("before-after")).toHaveLength(1); // one photo from the left: no pair
    expect(pair.textContent).toContain("Cheeks · Front");
    expect(within(pair).getByTestId("before-date").textContent).toMatch(/2025/);
    expect(within(pair).getByTestId("after-date").textContent).toMatch(/2026/);
    await waitFor(() => expect(within(pair).getByTestId("after-image").getAttribute("src")).toMatch(/^blob:/));
    const full = backend.calls.filter((c) => c.command === "photo_data" && c.args.thumb === false).map((c) => c.args.photo_id);
    expect(full.sort()).toEqual([ids[0], ids[2]].sort());
    await waitFor(() => expect(screen.getAllByTestId("photo-thumb")).toHaveLength(4));

    await user.click(screen.getByTestId("profile-tab"));
    expect(revoke.mock.calls.length).toBeGreaterThanOrEqual(6);
  });
});

describe("adverse-event register", () => {
  /** Emma and Oliver each have a first session followed by an adverse event (an infection; PIH). */
  async function withEvents(backend: TestBackend): Promise<void> {
    for (const [name, lot, event] of [
      ["Emma Smith", "CT-1001", { kind: "infection", description: "Pustules" }],
      ["Oliver Jones", "CT-2002", { kind: "pih", description: "" }],
    ] as const) {
      const id = await patientId(backend, name);
      await screenPatient(backend, id);
      const a = await assess(backend, id, {
        ...GRADE_3_NORMAL,
        grade: 2,
        counts: { macular: 4, moderate: 2, severe: 0, papular: 0, keloidal: 0 },
        scar_age_years: 1,
      });
      const plan = await acceptPlan(backend, id, a.id);
      const r = await backend.call("record_session", {
        planned_session_id: plan.sessions[0].id,
        input: {
          date: TODAY,
          numbing_cream: "EMLA",
          numbing_minutes: 30,
          device: "Dermapen 4",
          cartridge_lot: lot,
          skin: "thick",
          depths: [{ zone: "cheeks_chin", depth_mm: "1.5" }],
          passes: 3,
          glide_product: "HA serum",
          glide_lot: "HG-9",
          endpoint: "erythema",
          immediate_reaction: "",
          duration_minutes: 40,
          notes: "",
          confirm_above_ceiling: false,
          screening_override_reason: "",
        },
      });
      await backend.call("record_healing", {
        session_record_id: r.id,
        input: { reported_on: TODAY, redness_days: 2, flaking_days: 2, events: [event], notes: "" },
      });
    }
  }

  test("filters by lot and exports what is shown as CSV through the save dialog", async () => {
    const { user, backend } = await renderHome({
      patients: [
        { first_name: "Emma", last_name: "Smith" },
        { first_name: "Oliver", last_name: "Jones" },
      ],
    });
    await withEvents(backend);
    const asked = recordDialogs(backend);
    await user.click(screen.getByTestId("nav-adverse-events"));
    await waitFor(() => expect(screen.getAllByTestId("register-row")).toHaveLength(2));
    expect(screen.getByTestId("register-count").textContent).toBe("2 events");

    await user.type(screen.getByTestId("register-lot"), "ct-20");
    await user.click(screen.getByTestId("register-apply"));
    await waitFor(() => expect(screen.getAllByTestId("register-row")).toHaveLength(1));
    const row = screen.getByTestId("register-row");
    expect(row.getAttribute("data-kind")).toBe("pih");
    for (const text of ["Post-inflammatory hyperpigmentation", "Oliver Jones", "Dermapen 4", "CT-2002", "Cheeks and chin 1.5 mm", "HG-9"])
      expect(row.textContent).toContain(text);

    // A bad date is refused beside its field.
    await user.type(screen.getByTestId("register-from"), "2026-02-31");
    await user.click(screen.getByTestId("register-apply"));
    expect((await screen.findByTestId("error-from")).textContent).toMatch(/is not a date/);
    await user.clear(screen.getByTestId("register-from"));
    await user.click(screen.getByTestId("register-apply"));
    await waitFor(() => expect(screen.queryByTestId("error-from")).toBeNull());

    const csv = `${await backend.folder()}/adverse.csv`;
    backend.dialog.save.push(csv);
    await user.click(screen.getByTestId("register-export"));
    await waitFor(() => expect(screen.queryByTestId("register-error")?.textContent ?? "").toBe(""));
    expect((await screen.findByTestId("register-notice")).textContent).toBe(`1 event exported to ${csv}.`);
    const exported = backend.calls.find((c) => c.command === "export_adverse_events");
    expect(exported?.args).toEqual({
      filter: { kind: null, from: "", to: "", lot: "ct-20" },
      path: csv,
    });
    // The file holds what was shown: the header (after a BOM, for spreadsheets) and Oliver's event only.
    const written = await readHostFile(csv);
    expect(written).toMatch(/^\uFEFFreported_on,event/);
    const lines = written.trim().split(/\r?\n/);
    expect(lines).toHaveLength(2);
    expect(written).toContain("CT-2002");
    expect(written).not.toContain("CT-1001");

    // Cancelling the save dialog writes nothing.
    backend.dialog.save.push(null);
    await user.selectOptions(screen.getByTestId("register-kind"), "infection");
    await user.clear(screen.getByTestId("register-lot"));
    await user.click(screen.getByTestId("register-apply"));
    await waitFor(() => expect(screen.getByTestId("register-row").getAttribute("data-kind")).toBe("infection"));
    await user.click(screen.getByTestId("register-export"));
    await waitFor(() => expect(asked.save).toHaveLength(2));
    expect(backend.calls.filter((c) => c.command === "export_adverse_events")).toHaveLength(1);
  });
});

describe("deleting a photo", () => {
  test("asks once more, then the photo is gone from the list and from the backend; Keep changes nothing", async () => {
    const { user, backend } = await openPatientTab("photos", { patients: [{ first_name: "Emma", last_name: "Smith" }] }, async (backend) => {
      await importFile(backend, await putPhoto(backend, "one.png", [210, 150, 130]), "2025-09-01");
      await importFile(backend, await putPhoto(backend, "two.png", [170, 110, 90]), "2025-10-01");
    });
    await waitFor(() => expect(screen.getAllByTestId("photo-tile")).toHaveLength(2));
    const first = screen.getAllByTestId("photo-tile")[0];
    const id = Number(first.getAttribute("data-photo-id"));
    await user.click(within(first).getByTestId("photo-delete"));
    await user.click(within(first).getByTestId("photo-delete-keep"));
    expect(screen.getAllByTestId("photo-tile")).toHaveLength(2);
    expect(backend.calls.some((c) => c.command === "delete_photo")).toBe(false);

    await user.click(within(screen.getAllByTestId("photo-tile")[0]).getByTestId("photo-delete"));
    await user.click(within(screen.getAllByTestId("photo-tile")[0]).getByTestId("photo-delete-confirm"));
    await waitFor(() => expect(screen.getAllByTestId("photo-tile")).toHaveLength(1));
    expect(backend.calls.find((c) => c.command === "delete_photo")?.args).toEqual({ photo_id: id });
    const left = await backend.call("list_photos", { patient_id: await patientId(backend) });
    expect(left.map((p) => p.id)).not.toContain(id);
    expect(left).toHaveLength(1);
  });
});
