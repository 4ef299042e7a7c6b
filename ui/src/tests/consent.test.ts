import { fireEvent, screen, waitFor, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, test } from "vitest";
import type { ConsentSignInput } from "../lib/bindings/ConsentSignInput";
import { assess, patientId, screenPatient, signConsent } from "./fixtures-treatment";
import { TODAY, openPatientTab, pinToday, renderHome, type TestBackend } from "./helpers";

const EMMA = [{ first_name: "Emma", last_name: "Smith" }];

beforeEach(() => pinToday());

/** Screening, assessment and a plan from today, WITHOUT a consent. */
async function plannedWithoutConsent(backend: TestBackend): Promise<void> {
  const id = await patientId(backend);
  await screenPatient(backend, id);
  const a = await assess(backend, id);
  await backend.call("accept_plan", { input: { patient_id: id, assessment_id: a.id, start: TODAY, override: null } });
}

function signCalls(backend: TestBackend): ConsentSignInput[] {
  return backend.calls.filter((c) => c.command === "sign_consent").map((c) => c.args.input as ConsentSignInput);
}

/**
 * A synthetic pointer event (jsdom has no PointerEvent: a MouseEvent of the
 * pointer type, with the pointer's id and kind, is what a browser would send).
 */
function pointer(type: string, x: number, y: number, pointerId: number, pointerType: string): MouseEvent {
  const e = new MouseEvent(type, { bubbles: true, cancelable: true, clientX: x, clientY: y });
  Object.defineProperty(e, "pointerId", { value: pointerId });
  Object.defineProperty(e, "pointerType", { value: pointerType });
  return e;
}

/** Draws one stroke through `points` (canvas pixels) with synthetic pointer events. */
async function draw(canvas: HTMLElement, points: [number, number][], pointerId: number, pointerType: string) {
  const [first, ...rest] = points;
  await fireEvent(canvas, pointer("pointerdown", first[0], first[1], pointerId, pointerType));
  for (const [x, y] of rest) await fireEvent(canvas, pointer("pointermove", x, y, pointerId, pointerType));
  const last = points[points.length - 1];
  await fireEvent(canvas, pointer("pointerup", last[0], last[1], pointerId, pointerType));
}

describe("consent forms", () => {
  test("the gate refuses the session and says why; Sign now: drawn strokes (mouse, pen), Clear, each photo use asked, confirmed; the session form then opens", async () => {
    const { user, backend } = await openPatientTab("plan", { patients: EMMA }, plannedWithoutConsent);
    await user.click(await screen.findByTestId("session-record-1"));
    const reason = await screen.findByTestId("session-refused-reason");
    expect(reason.textContent).toContain("The patient has not signed a microneedling consent");
    await user.click(screen.getByTestId("session-sign-consent"));

    const signing = await screen.findByTestId("consent-signing");
    expect((await within(signing).findByTestId("consent-text")).textContent).toContain("light sunburn");
    expect(within(signing).getByTestId("consent-for").textContent).toContain("Emma Smith");
    const canvas = screen.getByTestId("signature-canvas");
    await draw(canvas, [[5, 5], [50, 60], [90, 20]], 1, "mouse");
    expect(canvas.dataset.strokes).toBe("1");
    await user.click(screen.getByTestId("signature-clear"));
    expect(canvas.dataset.strokes).toBe("0");
    await draw(canvas, [[20, 100], [60, 40], [100, 110], [140, 30]], 2, "pen");
    await draw(canvas, [[200, 75], [380, 75], [9999, 75]], 3, "touch");
    expect(canvas.dataset.strokes).toBe("2");

    // Every photo use must be answered, one by one.
    await user.click(screen.getByTestId("consent-sign"));
    expect((await screen.findByTestId("consent-error")).textContent).toContain("each photo use");
    expect(signCalls(backend)).toHaveLength(0);
    await user.click(screen.getByTestId("consent-use-record-yes"));
    await user.click(screen.getByTestId("consent-use-teaching-no"));
    await user.click(screen.getByTestId("consent-use-marketing-no"));
    await user.click(screen.getByTestId("consent-confirm"));
    await user.click(screen.getByTestId("consent-sign"));

    // The session form opens: the gate passes.
    await waitFor(() => expect(screen.queryByTestId("consent-error")?.textContent ?? "").toBe(""));
    await backend.settled();
    await screen.findByTestId("session-form");
    const [sent] = signCalls(backend);
    expect(sent.confirm).toBe(true);
    expect(sent.photo_uses).toEqual({ record: true, teaching: false, marketing: false });
    expect(sent.typed_name).toBe("");
    expect(sent.template_version).toBe(1);
    expect(sent.signature.strokes).toHaveLength(2);
    expect(sent.signature.strokes[0]).toHaveLength(4);
    // Points stay inside the 400 × 150 box (a move past the edge is clamped).
    expect(sent.signature.strokes[1].at(-1)).toEqual([400, 75]);
  });

  test("the desk hands the screen over from the Documents tab: a typed name is recorded as typed; the consent awaits a practitioner and the desk sees no content", async () => {
    const { user, backend } = await renderHome({ signed_in_as: "receptionist", patients: EMMA });
    await user.click(screen.getByTestId("nav-patients"));
    await user.click((await screen.findAllByTestId("patient-row"))[0]);
    await screen.findByTestId("patient-record");
    await user.click(screen.getByTestId("documents-tab"));
    expect(await screen.findByTestId("consents-empty")).toBeTruthy();
    await user.click(screen.getByTestId("consent-start"));
    await screen.findByTestId("consent-signing");
    expect(await screen.findByTestId("consent-awaits")).toBeTruthy();
    expect(screen.queryByTestId("consent-confirm")).toBeNull();
    await user.click(screen.getByTestId("consent-toggle-typed"));
    await user.type(screen.getByTestId("consent-typed-name"), "Emma Smith");
    for (const u of ["record", "teaching", "marketing"]) await user.click(screen.getByTestId(`consent-use-${u}-no`));
    await user.click(screen.getByTestId("consent-sign"));
    const row = await screen.findByTestId("consent-row");
    expect(row.dataset.status).toBe("awaiting_confirmation");
    expect(row.textContent).toContain("Awaiting a practitioner's confirmation");
    expect(within(row).queryByRole("button")).toBeNull();
    const [sent] = signCalls(backend);
    expect(sent.typed_name).toBe("Emma Smith");
    expect(sent.signature.strokes).toEqual([]);
    expect(sent.confirm).toBe(false);
    // What the desk received: where the consent stands, never its text or signature.
    const list = await backend.call("list_consents", { patient_id: await patientId(backend) });
    expect(Object.keys(list[0]).sort()).toEqual(
      ["confirmed_at", "confirmed_by", "id", "patient_id", "revoked_at", "signed_at", "status", "template_key", "template_version", "title"],
    );
    await expect(backend.call("consent", { consent_id: list[0].id })).rejects.toMatchObject({ code: "forbidden" });
  });

  test("the practitioner prints a signed consent from the Documents tab and the photos tab shows the photo-use answers", async () => {
    const { user, backend } = await openPatientTab("documents", { patients: EMMA }, async (b) => {
      await signConsent(b, await patientId(b));
    });
    const row = await screen.findByTestId("consent-row");
    expect(row.dataset.status).toBe("signed");
    expect(row.textContent).toContain("confirmed by Dr Amira Haddad");
    await user.click(within(row).getByText("Print"));
    await waitFor(() => expect(backend.calls.some((c) => c.command === "print_consent")).toBe(true));
    await user.click(screen.getByTestId("photos-tab"));
    const uses = await screen.findByTestId("photo-uses");
    expect(within(uses).getByTestId("photo-use-record").textContent).toBe("yes");
    expect(within(uses).getByTestId("photo-use-marketing").textContent).toBe("no");
  });

  test("Settings → Consent forms: saving the text makes version 2, and the gate can be set to warn", async () => {
    const { user, backend } = await renderHome();
    await user.click(screen.getByTestId("nav-settings"));
    const panel = await screen.findByTestId("consent-forms-settings");
    expect((await within(panel).findByTestId("consent-current-version")).textContent).toContain("Dermis's default text");
    const body = within(panel).getByTestId("consent-body") as HTMLTextAreaElement;
    await user.clear(body);
    await user.type(body, "# Our text{Enter}I consent.");
    await user.click(within(panel).getByTestId("consent-text-save"));
    expect((await within(panel).findByTestId("consent-settings-saved")).textContent).toContain("version 2");
    const current = await backend.call("current_consent_template", { key: "microneedling" });
    expect([current.version, current.body]).toEqual([2, "# Our text\nI consent."]);
    await user.click(within(panel).getByTestId("consent-gate-refuse"));
    await user.click(within(panel).getByTestId("consent-rules-save"));
    await within(panel).findByText("The consent rules are saved.");
    expect((await backend.call("consent_settings")).require_for_session).toBe(false);
  });
});
