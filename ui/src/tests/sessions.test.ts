import { screen, waitFor, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, test } from "vitest";
import type { Condition } from "../lib/bindings/Condition";
import type { SessionRecordInput } from "../lib/bindings/SessionRecordInput";
import { weekdayDate } from "../lib/format";
import { SESSION_ONE, acceptPlan, assess, patientId, screenPatient } from "./fixtures-treatment";
import { TODAY, openPatientTab, pinToday, type TestBackend } from "./helpers";

const EMMA = [{ first_name: "Emma", last_name: "Smith" }];

beforeEach(() => pinToday());

/** Screening (Yes to `yes`), a grade 3 assessment of normal skin, and a plan from today: 5 sessions, 5 weeks apart. */
async function planned(backend: TestBackend, yes: Condition[] = [], reason = ""): Promise<void> {
  const id = await patientId(backend);
  await screenPatient(backend, id, yes);
  const a = await assess(backend, id);
  await acceptPlan(backend, id, a.id, TODAY, reason);
}

/** The patient's plan as the backend stores it. */
async function storedPlan(backend: TestBackend) {
  const [plan] = await backend.call("list_plans", { patient_id: await patientId(backend) });
  return plan;
}

/** The first session recorded through the backend (as if done at the desk earlier today). */
async function sessionOneDone(backend: TestBackend): Promise<void> {
  await planned(backend);
  const plan = await storedPlan(backend);
  await backend.call("record_session", { planned_session_id: plan.sessions[0].id, input: SESSION_ONE });
}

function recordCall(backend: TestBackend) {
  return backend.calls.filter((c) => c.command === "record_session").map((c) => c.args.input as SessionRecordInput);
}

describe("session form", () => {
  test("a session recorded meanwhile elsewhere (another PC): the save names who recorded it and offers to reload the plan", async () => {
    const { user, backend } = await openPatientTab("plan", { patients: EMMA }, (backend) => planned(backend));
    await user.click(await screen.findByTestId("session-record-1"));
    await screen.findByTestId("session-form");
    await user.type(screen.getByTestId("session-device"), "Dermapen 4");
    await user.click(screen.getByTestId("session-skin-thin"));
    await user.type(screen.getByTestId("session-depth-cheeks_chin"), "0.8");
    // Meanwhile the same session is recorded in the other room.
    const plan = await storedPlan(backend);
    await backend.call("record_session", { planned_session_id: plan.sessions[0].id, input: SESSION_ONE });
    await user.click(screen.getByTestId("session-save"));
    const banner = await screen.findByTestId("session-error");
    expect(banner.textContent).toMatch(/^\s*admin recorded session 1 at \d\d:\d\d, while you were editing\. Reload to see their record; what you typed here was not saved\./);
    await user.click(screen.getByTestId("session-reload"));
    await waitFor(() => expect(screen.queryByTestId("session-form")).toBeNull());
    // The plan as it is now: session 1 done, session 2 next.
    expect(await screen.findByTestId("session-record-2")).toBeTruthy();
  });

  test("from the plan's next session; a depth above the ceiling asks for the confirmation, the refusal shows beside the zone, the confirmation is sent", async () => {
    const { user, backend } = await openPatientTab("plan", { patients: EMMA }, (backend) => planned(backend));
    await user.click(await screen.findByTestId("session-record-1"));
    const form = await screen.findByTestId("session-form");
    expect(within(form).getByText("Record session 1 of 5")).toBeTruthy();
    // First session: nothing to copy.
    expect(screen.queryByTestId("session-copied-forward")).toBeNull();
    expect((screen.getByTestId("session-date") as HTMLInputElement).value).toBe(TODAY);

    await user.type(screen.getByTestId("session-device"), "Dermapen 4");
    await user.click(screen.getByTestId("session-skin-thin"));
    // The usual range for the chosen skin stands beside each zone.
    expect(screen.getByTestId("session-depth-usual-cheeks_chin").textContent?.trim()).toBe("usual 0.5–1.0 mm");
    await user.click(screen.getByTestId("session-skin-thick"));
    expect(screen.getByTestId("session-depth-usual-cheeks_chin").textContent?.trim()).toBe("usual 1.0–2.0 mm");
    await user.click(screen.getByTestId("session-skin-thin"));

    expect(screen.queryByTestId("session-confirm-ceiling")).toBeNull();
    await user.type(screen.getByTestId("session-depth-cheeks_chin"), "1.5");
    await user.type(screen.getByTestId("session-depth-forehead"), "0.5");
    expect(screen.getByTestId("session-depth-above-cheeks_chin").textContent).toMatch(/Above the chart: 1\.5 mm > 1\.0 mm/);
    expect(screen.queryByTestId("session-depth-above-forehead")).toBeNull();
    const confirm = screen.getByTestId("session-confirm-ceiling") as HTMLInputElement;
    expect(confirm.checked).toBe(false);
    expect(screen.getByText("I confirm depths above the chart")).toBeTruthy();

    // Without the confirmation the backend refuses: its message stands beside the zone.
    await user.click(screen.getByTestId("session-save"));
    const error = await screen.findByTestId("error-depth.cheeks_chin");
    expect(error.textContent).toBe(
      "Cheeks and chin: 1.5 mm is above the 1.0 mm ceiling for thin skin; confirm the depth to go ahead.",
    );
    const input = screen.getByTestId("session-depth-cheeks_chin");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(input.getAttribute("aria-describedby")).toContain(error.id);
    expect(document.activeElement).toBe(input);
    expect(recordCall(backend)[0].confirm_above_ceiling).toBe(false);

    await user.click(confirm);
    await user.click(screen.getByTestId("session-save"));
    await waitFor(() => expect(screen.queryByTestId("session-form")).toBeNull());
    const sent = recordCall(backend)[1];
    expect(sent.confirm_above_ceiling).toBe(true);
    expect(sent.skin).toBe("thin");
    expect(sent.depths).toEqual([
      { zone: "forehead", depth_mm: "0.5" },
      { zone: "cheeks_chin", depth_mm: "1.5" },
    ]);
    const [stored] = await backend.call("list_session_records", { patient_id: await patientId(backend) });
    expect(stored.ceiling_confirmed).toBe(true);
    expect((await screen.findByTestId("plan-notice")).textContent).toMatch(/Session 1 of 5 recorded/);
    const first = screen.getAllByTestId("plan-timeline-session")[0];
    expect(first.textContent).toContain("Done");
    // The next session is the one to record now.
    expect(screen.getByTestId("session-record-2")).toBeTruthy();

    // It appears in the session log, newest first, with its depths.
    await user.click(screen.getByTestId("plan-show-sessions"));
    const entry = await screen.findByTestId("session-log-entry");
    expect(entry.textContent).toContain("Session 1 of 5");
    expect(within(entry).getByTestId("session-log-depths").textContent).toMatch(/Cheeks and chin\s*1\.5 mm\s*above chart/);
    expect(entry.textContent).toContain("Dermapen 4");
  });

  test("the next session's form is copied from the last one", async () => {
    const { user } = await openPatientTab("plan", { patients: EMMA }, sessionOneDone);
    await user.click(await screen.findByTestId("session-record-2"));
    await screen.findByTestId("session-form");
    expect(screen.getByTestId("session-copied-forward").textContent?.trim()).toBe("Copied from the last session");
    expect((screen.getByTestId("session-device") as HTMLInputElement).value).toBe("Dermapen 4");
    expect((screen.getByTestId("session-cartridge-lot") as HTMLInputElement).value).toBe("CT-2291");
    expect((screen.getByTestId("session-skin-thick") as HTMLInputElement).checked).toBe(true);
    expect((screen.getByTestId("session-depth-cheeks_chin") as HTMLInputElement).value).toBe("1.5");
    expect((screen.getByTestId("session-depth-nose") as HTMLInputElement).value).toBe("");
    // What belongs to one visit only starts empty.
    expect((screen.getByTestId("session-notes") as HTMLTextAreaElement).value).toBe("");
    // Recording it today is too soon after session 1: the date error stands beside the date.
    await user.click(screen.getByTestId("session-save"));
    expect((await screen.findByTestId("error-date")).textContent).toMatch(/not after the previous session/);
  });

  test("a blocking screening needs the practitioner's override reason; the warnings show at the top", async () => {
    const { user, backend } = await openPatientTab("plan", { patients: EMMA }, (backend) =>
      planned(backend, ["active_infection", "diabetes"], "Healed, confirmed by the GP"),
    );
    await user.click(await screen.findByTestId("session-record-1"));
    await screen.findByTestId("session-form");
    expect(screen.getByTestId("session-warnings").textContent).toMatch(/Diabetes/);
    expect(screen.getByTestId("session-blocked").textContent).toMatch(/Active infection or open wound in the area/);
    const reason = screen.getByTestId("session-override-reason");
    await user.type(screen.getByTestId("session-device"), "Dermapen 4");
    await user.type(screen.getByTestId("session-depth-forehead"), "0.25");
    await user.click(screen.getByTestId("session-save"));
    expect((await screen.findByTestId("error-screening_override_reason")).textContent).toMatch(
      /^The screening blocks treatment: .* A session needs the practitioner's override with a written reason\.$/,
    );
    expect(document.activeElement).toBe(reason);
    await user.type(reason, "Infection cleared, seen today");
    await user.click(screen.getByTestId("session-save"));
    await waitFor(() => expect(screen.queryByTestId("session-form")).toBeNull());
    const [record] = await backend.call("list_session_records", { patient_id: await patientId(backend) });
    expect(record.screening_override_reason).toBe("Infection cleared, seen today");
  });
});

describe("session start cautions", () => {
  test("every warning of the latest screening and, for Fitzpatrick V, the PIH caution show at the top of the session form", async () => {
    const { user, backend } = await openPatientTab("plan", { patients: EMMA }, async (backend) => {
      const id = await patientId(backend);
      await screenPatient(backend, id, ["diabetes"]);
      const a = await assess(backend, id, { fitzpatrick: 5 });
      await acceptPlan(backend, id, a.id);
      // Screened again after planning: three warnings now.
      await screenPatient(backend, id, ["diabetes", "herpes_simplex", "allergy"]);
    });
    const [latest] = await backend.call("list_screenings", { patient_id: await patientId(backend) });
    expect(latest.result.warnings).toHaveLength(3);
    await user.click(await screen.findByTestId("session-record-1"));
    await screen.findByTestId("session-form");
    expect(screen.getAllByTestId("session-warning").map((li) => li.textContent)).toEqual(
      latest.result.warnings.map((w) => w.message),
    );
    const cautions = screen.getAllByTestId("session-plan-caution").map((li) => li.textContent ?? "");
    expect(cautions.filter((c) => /Fitzpatrick type V: .*post-inflammatory hyperpigmentation \(PIH\)/.test(c))).toHaveLength(1);
    // The diabetes warning (also on the plan) is listed once, among the screening's.
    expect(cautions.some((c) => /Diabetes/.test(c))).toBe(false);
  });

  test("no PIH caution for Fitzpatrick II", async () => {
    const { user } = await openPatientTab("plan", { patients: EMMA }, (backend) => planned(backend, ["diabetes"]));
    await user.click(await screen.findByTestId("session-record-1"));
    await screen.findByTestId("session-form");
    expect(screen.getByTestId("session-warnings").textContent).toMatch(/Diabetes/);
    expect(screen.queryByText(/hyperpigmentation/)).toBeNull();
  });
});

test("a session that cannot be recorded today shows why, and no form", async () => {
  const { user } = await openPatientTab("plan", { patients: EMMA }, async (backend) => {
    await planned(backend);
    // A newer screening: isotretinoin stopped a month ago, so the washout runs for five more months.
    await screenPatient(backend, await patientId(backend), ["isotretinoin"], { isotretinoin: "2026-02-04" });
  });
  await user.click(await screen.findByTestId("session-record-1"));
  expect((await screen.findByTestId("session-refused-reason")).textContent).toBe(
    "The screening's washout period runs until 2026-08-04: no session before then.",
  );
  expect(screen.queryByTestId("session-form")).toBeNull();
  await user.click(screen.getByTestId("session-cancel"));
  expect(await screen.findByTestId("plan-timeline")).toBeTruthy();
});

describe("healing follow-up", () => {
  test("slow healing moves the next session: the decision is shown, and the plan shows the new date and why", async () => {
    const { user, backend } = await openPatientTab("plan", { patients: EMMA }, sessionOneDone);
    expect((await storedPlan(backend)).sessions[1].date).toBe("2026-04-08");
    await user.click(screen.getByTestId("sessions-tab"));
    await user.click(await screen.findByTestId("session-record-healing"));
    const form = await screen.findByTestId("healing-form");
    expect((within(form).getByTestId("healing-reported-on") as HTMLInputElement).value).toBe(TODAY);
    const redness = within(form).getByTestId("healing-redness");
    await user.clear(redness);
    await user.type(redness, "5");
    await user.click(within(form).getByTestId("healing-save"));

    const decision = await screen.findByTestId("healing-decision");
    expect(decision.textContent).toBe(
      "2026-03-04: redness lasted 5 days after session 1 (more than 3): session 2 moved from 2026-04-08 to 2026-04-15, 6 weeks after session 1 instead of 5.",
    );
    expect(screen.getByTestId("healing-plan-state").textContent).toContain(weekdayDate("2026-04-15"));
    expect(screen.getByTestId("session-log-healing").textContent).toMatch(/Redness 5 days/);
    expect(screen.queryByTestId("session-record-healing")).toBeNull();

    await user.click(screen.getByTestId("healing-show-plan"));
    const sessions = await screen.findAllByTestId("plan-timeline-session");
    expect(sessions[1].getAttribute("data-date")).toBe("2026-04-15");
    expect(sessions[1].textContent).toContain(weekdayDate("2026-04-15"));
    const latest = within(screen.getByTestId("plan-rationale")).getByTestId("plan-rationale-followup");
    expect(latest.textContent).toMatch(/session 2 moved from 2026-04-08 to 2026-04-15/);
    expect(latest.textContent).toMatch(/Latest/);
  });

  test("an adverse event pauses the plan: 'Other' needs a description, the decision says so, the plan shows Paused with Resume", async () => {
    const { user } = await openPatientTab("plan", { patients: EMMA }, sessionOneDone);
    await user.click(screen.getByTestId("sessions-tab"));
    await user.click(await screen.findByTestId("session-record-healing"));
    await screen.findByTestId("healing-form");
    for (const label of [
      "Prolonged erythema",
      "Oedema",
      "Post-inflammatory hyperpigmentation",
      "Acne flare",
      "Infection",
      "Herpes reactivation",
      "Tram-track scarring",
      "Granuloma",
      "Other",
    ])
      expect(screen.getByLabelText(label)).toBeTruthy();
    await user.click(screen.getByTestId("healing-event-other"));
    await user.click(screen.getByTestId("healing-save"));
    expect((await screen.findByTestId("error-events.other")).textContent).toBe("Describe the adverse event.");
    expect(document.activeElement).toBe(screen.getByTestId("healing-event-other-description"));
    await user.click(screen.getByTestId("healing-event-other")); // untick
    await user.click(screen.getByTestId("healing-event-infection"));
    await user.type(screen.getByTestId("healing-event-infection-description"), "Pustules on the left cheek");
    await user.click(screen.getByTestId("healing-save"));

    const decision = await screen.findByTestId("healing-decision");
    expect(decision.textContent).toBe(
      "2026-03-04: plan paused after an adverse event (Infection) following session 1 on 2026-03-04; a practitioner must review and resume it.",
    );
    expect(screen.getByTestId("healing-plan-state").textContent).toMatch(/Paused/);
    await user.click(screen.getByTestId("healing-show-plan"));
    expect((await screen.findByTestId("plan-status")).textContent).toBe("Paused");
    expect(screen.getByTestId("plan-paused").textContent).toMatch(/Paused\./);
    expect(screen.getByTestId("plan-paused-reason").textContent).toMatch(/plan paused after an adverse event \(Infection\)/);
    expect(screen.getByTestId("plan-resume")).toBeTruthy();
    // No session can be recorded while paused.
    expect(screen.queryByTestId("session-record-2")).toBeNull();
  });
});
