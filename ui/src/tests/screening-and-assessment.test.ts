import { screen, waitFor, within } from "@testing-library/svelte";
import type { UserEvent } from "@testing-library/user-event";
import { beforeEach, describe, expect, test } from "vitest";
import { readableDate } from "../lib/format";
import { patientId } from "./fixtures-treatment";
import { TODAY, openPatientTab, pinToday, type TestBackend } from "./helpers";

const EMMA = [{ first_name: "Emma", last_name: "Smith", phone: "07700 900456" }];

/** How many screenings the backend holds for the patient. */
async function screenings(backend: TestBackend): Promise<number> {
  return (await backend.call("list_screenings", { patient_id: await patientId(backend) })).length;
}

beforeEach(() => pinToday());

/** Answers No to every question still unanswered (what a practitioner does after asking each one). */
async function answerTheRestNo(user: UserEvent): Promise<void> {
  for (const no of screen.getAllByRole("radio", { name: "No" }) as HTMLInputElement[]) {
    const yes = screen.getByTestId(no.dataset.testid!.replace(/-no$/, "")) as HTMLInputElement;
    if (!no.checked && !yes.checked) await user.click(no);
  }
}

describe("screening", () => {
  test("a blocking answer shows the result as blocked, with its reason", async () => {
    const { user, backend } = await openPatientTab("screening", { patients: EMMA });
    expect(await screen.findByTestId("no-screening")).toBeTruthy();
    await user.click(screen.getByTestId("new-screening"));

    // One Yes/No pair per rule; the date defaults to today.
    expect((screen.getByTestId("screening-date") as HTMLInputElement).value).toBe(TODAY);
    expect(screen.getAllByRole("radio", { name: "Yes" })).toHaveLength(11);

    await user.click(screen.getByTestId("screening-answer-pregnancy_or_breastfeeding"));
    await user.click(screen.getByTestId("screening-answer-herpes_simplex"));
    await answerTheRestNo(user);
    await user.click(screen.getByTestId("screening-save"));

    const result = await screen.findByTestId("screening-result");
    expect(within(result).getByTestId("screening-blocked").textContent).toMatch(/Treatment blocked/);
    expect(
      within(result).getByText("Pregnancy or breastfeeding: no treatment without a practitioner's override and a written reason."),
    ).toBeTruthy();
    expect(within(result).getByText("Herpes simplex history: consider antiviral prophylaxis.")).toBeTruthy();
    expect(within(result).queryByTestId("screening-allowed")).toBeNull();
    expect(screen.queryByTestId("screening-form")).toBeNull();
    expect(await screenings(backend)).toBe(1);
  });

  test("every question starts unanswered; saving names each unanswered one beside it and focuses the first", async () => {
    const { user, backend } = await openPatientTab("screening", { patients: EMMA });
    await user.click(await screen.findByTestId("new-screening"));
    const radios = screen.getAllByRole("radio") as HTMLInputElement[];
    expect(radios).toHaveLength(22);
    expect(radios.some((r) => r.checked)).toBe(false);

    // Two answered (one Yes, one No), the other nine not.
    await user.click(screen.getByTestId("screening-answer-diabetes"));
    await user.click(screen.getByTestId("screening-answer-herpes_simplex-no"));
    await user.click(screen.getByTestId("screening-save"));

    const missing = await screen.findAllByTestId(/^error-answers\.\w+$/);
    expect(missing).toHaveLength(9);
    expect(screen.queryByTestId("error-answers.diabetes")).toBeNull();
    expect(screen.queryByTestId("error-answers.herpes_simplex")).toBeNull();
    // Beside its own question, and the first unanswered question has the focus.
    const questions = screen.getAllByTestId(/^screening-question-/);
    const firstMissing = questions.find((q) => within(q).queryByTestId(/^error-answers\./))!;
    expect(questions.indexOf(firstMissing)).toBe(0);
    expect(firstMissing.contains(document.activeElement)).toBe(true);
    expect((document.activeElement as HTMLInputElement).type).toBe("radio");
    expect((document.activeElement as HTMLInputElement).checked).toBe(false);
    expect(within(firstMissing).getByTestId(/^error-answers\./).textContent).toMatch(/^Answer: /);
    const group = within(firstMissing).getByRole("radiogroup");
    expect(group.getAttribute("aria-invalid")).toBe("true");
    expect(group.getAttribute("aria-describedby")).toBe(within(firstMissing).getByTestId(/^error-answers\./).id);
    expect(screen.getByTestId("screening-form")).toBeTruthy();
    expect(await screenings(backend)).toBe(0);

    // Answering a question clears its own message; all answered, it saves.
    await user.click(firstMissing.querySelector<HTMLInputElement>('input[value="no"]')!);
    expect(within(firstMissing).queryByTestId(/^error-answers\./)).toBeNull();
    expect(screen.getAllByTestId(/^error-answers\.\w+$/)).toHaveLength(8);
    await answerTheRestNo(user);
    await user.click(screen.getByTestId("screening-save"));
    await screen.findByTestId("screening-result");
    expect(await screenings(backend)).toBe(1);
  });

  test("isotretinoin asks for the last dose; the result says from when treatment is allowed", async () => {
    const { user } = await openPatientTab("screening", { patients: EMMA });
    await user.click(await screen.findByTestId("new-screening"));
    expect(screen.queryByTestId("screening-last-date-isotretinoin")).toBeNull();
    await user.click(screen.getByTestId("screening-answer-isotretinoin"));
    await answerTheRestNo(user);

    // Saved without the date: the backend's complaint is beside the date field.
    await user.click(screen.getByTestId("screening-save"));
    const error = await screen.findByTestId("error-answers.isotretinoin.last_date");
    expect(error.textContent).toBe("Give the date of the last dose: the waiting period counts from it.");
    const lastDate = screen.getByTestId("screening-last-date-isotretinoin");
    expect(lastDate.getAttribute("aria-invalid")).toBe("true");
    expect(document.activeElement).toBe(lastDate);

    await user.type(lastDate, "20260110{Enter}");
    const result = await screen.findByTestId("screening-result");
    expect(within(result).getByTestId("screening-allowed").textContent).toContain(
      `Treatment allowed from ${readableDate("2026-07-10")}`,
    );
    expect(within(result).getByText(/Isotretinoin stopped 2026-01-10 → eligible from 2026-07-10/)).toBeTruthy();
    expect(within(result).getByTestId("screening-eligible-from").textContent).toContain(readableDate("2026-07-10"));
    expect(within(result).getByTestId("screening-valid-until").textContent).toContain(readableDate("2026-09-04"));
  });

  test("all No: treatment allowed, valid for six months; Esc leaves a new screening unsaved", async () => {
    const { user, backend } = await openPatientTab("screening", { patients: EMMA });
    await user.click(await screen.findByTestId("new-screening"));
    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("screening-form")).toBeNull();
    expect(await screenings(backend)).toBe(0);

    await user.click(screen.getByTestId("new-screening"));
    await answerTheRestNo(user);
    await user.type(screen.getByTestId("screening-date"), "{Enter}");
    const allowed = await screen.findByTestId("screening-allowed");
    expect(allowed.textContent).toMatch(/Treatment allowed/);
    expect(screen.getByTestId("screening-valid-until").textContent).toContain(readableDate("2026-09-04"));
  });
});

describe("assessment", () => {
  test("the Goodman & Baron score follows the counts as they are typed, from the backend", async () => {
    const { user, backend } = await openPatientTab("assessments", { patients: EMMA });
    await user.click(await screen.findByTestId("new-assessment"));
    const score = screen.getByTestId("assessment-score");
    await waitFor(() => expect(score.textContent?.trim()).toBe("0"));

    await user.type(screen.getByTestId("assessment-count-moderate"), "12"); // 2 points × 2
    await waitFor(() => expect(score.textContent?.trim()).toBe("4"));
    await user.type(screen.getByTestId("assessment-count-macular"), "5"); // + 1 × 1
    await waitFor(() => expect(score.textContent?.trim()).toBe("5"));
    await user.type(screen.getByTestId("assessment-count-keloidal"), "21"); // + 6 × 3
    await waitFor(() => expect(score.textContent?.trim()).toBe("23"));
    await user.clear(screen.getByTestId("assessment-count-keloidal"));
    await waitFor(() => expect(score.textContent?.trim()).toBe("5"));

    // Letters never reach a count.
    await user.type(screen.getByTestId("assessment-count-severe"), "3x");
    expect((screen.getByTestId("assessment-count-severe") as HTMLInputElement).value).toBe("3");
    await waitFor(() => expect(score.textContent?.trim()).toBe("8"));

    const asked = backend.calls.filter((c) => c.command === "score_assessment").map((c) => c.args.counts);
    expect(asked.at(-1)).toEqual({ macular: 5, moderate: 12, severe: 3, papular: 0, keloidal: 0 });
  });

  test("missing choices are shown beside their fields; a saved assessment is listed with its score", async () => {
    const { user } = await openPatientTab("assessments", { patients: EMMA });
    await user.click(await screen.findByTestId("new-assessment"));
    await user.click(screen.getByTestId("assessment-save"));
    expect((await screen.findByTestId("error-scar_types")).textContent).toMatch(/scar type/);
    expect(screen.getByTestId("error-grade").textContent).toMatch(/grade/);
    expect(screen.getByTestId("error-fitzpatrick").textContent).toMatch(/Fitzpatrick/);
    expect(screen.getByTestId("error-treatment_areas").textContent).toMatch(/treatment area/);

    await user.click(screen.getByTestId("assessment-scar-type-rolling"));
    await user.click(screen.getByTestId("assessment-scar-type-boxcar"));
    await user.click(screen.getByTestId("assessment-grade-3"));
    await user.type(screen.getByTestId("assessment-count-moderate"), "12");
    await user.selectOptions(screen.getByTestId("assessment-fitzpatrick"), "4");
    await user.selectOptions(screen.getByTestId("assessment-sensitivity"), "sensitive");
    await user.click(screen.getByTestId("assessment-area-cheeks"));
    await user.type(screen.getByTestId("assessment-scar-age"), "6");
    expect(screen.queryByTestId("error-grade")).toBeNull();
    await user.click(screen.getByTestId("assessment-save"));

    const row = await screen.findByTestId("assessment-row");
    const cells = within(row).getAllByRole("cell").map((c) => c.textContent?.trim());
    expect(cells.slice(0, 6)).toEqual([readableDate(TODAY), "3 · Moderate", "4", "IV", "Sensitive", "Boxcar, Rolling"]);
    expect(cells.slice(6)).toEqual(["Cheeks", "6 years"]);
    expect(screen.getByTestId("assessment-notice").textContent).toMatch(/score 4/);
  });
});
