import { screen, waitFor, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, test } from "vitest";
import { patientId } from "./fixtures-treatment";
import { pinToday, renderHome, renderSignedIn } from "./helpers";

// Documents in the patient's language (issue 20): the language menu beside
// Print, the fall-back notice, and Settings → Aftercare text by language.

// The clinic's demo generator (clinical_demo) gives each of them a screening, an assessment and a plan.
const PEOPLE = [
  { first_name: "Hana", last_name: "Sato", preferred_language: "ja" },
  { first_name: "Amélie", last_name: "Lefèvre", preferred_language: "fr" },
  { first_name: "Zoë", last_name: "Müller" },
];
const AS_DESK = { patients: PEOPLE, clinical_demo: true, signed_in_as: "receptionist" as const };

beforeEach(() => pinToday());

const text = (el: Element) => el.textContent?.replace(/\s+/g, " ").trim() ?? "";

/** The desk opens the patient's record from the patient list ("Last, First"), on the Documents tab. */
async function openDocuments(first: string, last: string) {
  const app = await renderSignedIn(AS_DESK);
  const rows = await screen.findAllByTestId("patient-row");
  const row = rows.find((r) => text(r).includes(`${last}, ${first}`));
  if (!row) throw new Error(`no row for ${first} ${last}`);
  await app.user.click(row);
  await screen.findByTestId("patient-record");
  await app.user.click(screen.getByTestId("documents-tab"));
  await screen.findByTestId("documents");
  return app;
}

describe("the language menu beside Print", () => {
  test("prints in the patient's language by default, or in the one chosen", async () => {
    const { user, backend } = await openDocuments("Amélie", "Lefèvre");
    const menu = (await screen.findByTestId("documents-language")) as HTMLSelectElement;
    await waitFor(() => expect(menu.options.length).toBe(8));
    expect(menu.selectedOptions[0].textContent?.trim()).toBe("Patient's language: Français");
    expect([...menu.options].slice(1).map((o) => o.textContent?.trim())).toEqual([
      "English", "Français", "Español", "Deutsch", "Italiano", "Português", "العربية",
    ]);
    expect(screen.queryByTestId("documents-language-hint")).toBeNull();

    await user.click(screen.getByTestId("documents-print-schedule_card"));
    await screen.findByTestId("documents-done");
    // "" asks for the patient's language; the backend prints that in French.
    const amelie = await patientId(backend, "Amélie Lefèvre");
    const sent = backend.calls.filter((c) => c.command === "print_document").at(-1)?.args;
    expect(sent).toEqual({ request: { kind: "schedule_card", patient_id: amelie }, language: "" });
    expect((await backend.call("print_document", sent as never)).language).toBe("fr");
    expect(screen.queryByTestId("documents-language-note")).toBeNull();

    await user.selectOptions(menu, "es");
    await user.click(screen.getByTestId("documents-print-schedule_card"));
    await screen.findByTestId("documents-done");
    expect(backend.calls.filter((c) => c.command === "print_document").at(-1)?.args).toEqual({
      request: { kind: "schedule_card", patient_id: amelie },
      language: "es",
    });
  });

  test("a language without documents: the menu says so before printing, the backend's note after", async () => {
    const { user } = await openDocuments("Hana", "Sato");
    const menu = (await screen.findByTestId("documents-language")) as HTMLSelectElement;
    await waitFor(() => expect(menu.selectedOptions[0].textContent?.trim()).toBe("Patient's language: 日本語"));
    expect(text(await screen.findByTestId("documents-language-hint"))).toBe(
      "No documents in 日本語: they print in the clinic's default language.",
    );
    await user.click(screen.getByTestId("documents-print-schedule_card"));
    expect(text(await screen.findByTestId("documents-language-note"))).toBe(
      "Dermis has no documents in 日本語 (ja): printed in English, the clinic's default language.",
    );
    // Choosing a language removes the hint.
    await user.selectOptions(menu, "en");
    expect(screen.queryByTestId("documents-language-hint")).toBeNull();
  });
});

describe("Settings → Aftercare text by language", () => {
  test("a default text is marked until approved; the clinic's own text counts as reviewed", async () => {
    const app = await renderHome({ patients: [{ first_name: "Emma", last_name: "Smith" }] });
    await app.user.click(screen.getByTestId("nav-settings"));
    const { user } = app;
    // Settings loads several sections from the backend before this one shows.
    const box = await screen.findByTestId("aftercare-texts");
    const language = (await within(box).findByTestId("aftercare-language")) as HTMLSelectElement;
    expect([...language.options].map((o) => o.textContent?.trim())).toContain("العربية — default text");
    expect(text(within(box).getByTestId("aftercare-default-mark"))).toBe("Default text — not reviewed");

    await user.selectOptions(language, "ar");
    await user.click(within(box).getByTestId("aftercare-approve"));
    expect(text(await within(box).findByTestId("aftercare-reviewed"))).toMatch(/^Reviewed by /);
    expect(within(box).queryByTestId("aftercare-approve")).toBeNull();

    await user.selectOptions(language, "fr");
    const area = within(box).getByTestId("aftercare-text") as HTMLTextAreaElement;
    await user.clear(area);
    await user.type(area, "Pas de sauna avant le {{no_sauna_until}");
    await user.click(within(box).getByTestId("aftercare-save"));
    expect(text(await within(box).findByTestId("aftercare-text-error"))).toContain("{no_sauna_until}");
    await user.clear(area);
    await user.type(area, "Pas de sauna avant le {{no_makeup_until}.");
    await user.click(within(box).getByTestId("aftercare-save"));
    expect(await within(box).findByTestId("aftercare-reviewed")).toBeTruthy();
    expect([...language.options].map((o) => o.textContent?.trim())).toContain("Français");
  });
});
