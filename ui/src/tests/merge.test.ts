import { screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, test } from "vitest";
import { render } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import PatientRecord from "../lib/components/PatientRecord.svelte";
import { renderSignedIn, startBackend } from "./helpers";

/** A patient the test host registers (any PatientInput field, plus `archived`). */
type SeedPatient = Record<string, unknown>;

// The same person twice (issue 22's "Zoë Testová" / "Zoe Testova"), and someone else.
const PEOPLE: SeedPatient[] = [
  { first_name: "Zoë", last_name: "Testová", date_of_birth: "1991-02-28" },
  { first_name: "Zoe", last_name: "Testova", date_of_birth: "1991-02-28", phone: "+420 601 234 567" },
  { first_name: "Noah", last_name: "Jones", date_of_birth: "1990-02-03" },
];

async function openDuplicate(signedInAs: "admin" | "receptionist" = "admin") {
  const app = await renderSignedIn({ patients: PEOPLE, signed_in_as: signedInAs });
  await waitFor(() => expect(screen.getAllByTestId("patient-row")).toHaveLength(3));
  await app.user.click(screen.getByRole("row", { name: /Testova, Zoe\b/ }));
  await screen.findByTestId("patient-record");
  return app;
}

describe("merging two records of one person (admin)", () => {
  test("the record offers its look-alike; the dialog shows both side by side and what moves; the merge opens the kept record", async () => {
    const { user, backend } = await openDuplicate();
    const number = screen.getByTestId("patient-number").textContent!.trim();
    const candidates = await screen.findByTestId("merge-candidates");
    expect(within(candidates).getByText(/Zoë Testová/)).toBeTruthy();
    const keepNumber = within(candidates).getByText(/^P-\d{6}$/).textContent!;
    expect(keepNumber).not.toBe(number);
    const merged = await backend.call("search_patients", { search: { query: number, include_archived: true, offset: 0, limit: 5 } });
    await backend.call("record_screening", {
      patient_id: merged.items[0].id,
      input: {
        screened_on: "2026-01-10",
        answers: (await backend.call("screening_questions")).map((q) => ({ condition: q.condition, present: false, last_date: null })),
        notes: "",
      },
    });

    await user.click(within(candidates).getByRole("button", { name: `Merge this record into ${keepNumber}…` }));
    const dialog = await screen.findByTestId("merge-dialog");
    const table = await within(dialog).findByTestId("merge-side-by-side");
    // Focus stays in the dialog while it compares (never falls to <body>).
    expect(dialog.contains(document.activeElement)).toBe(true);
    expect(within(table).getByText("Zoë Testová")).toBeTruthy();
    expect(within(table).getByText("Zoe Testova")).toBeTruthy();
    expect(within(dialog).getByTestId("merge-fill-phone").textContent).toMatch(/taken from .*\+420 601 234 567/);
    expect(within(dialog).getByTestId("merge-moves").textContent).toMatch(/screenings:\s*1/);
    // Nothing happens before the confirmation.
    expect((await backend.call("get_patient", { id: merged.items[0].id })).merged_into).toBeNull();

    await user.click(within(dialog).getByTestId("merge-confirm"));
    await waitFor(() => expect(screen.getByTestId("patient-number").textContent!.trim()).toBe(keepNumber));
    expect(screen.getByTestId("record-notice").textContent).toMatch(
      new RegExp(`${number} was merged into ${keepNumber}. Moved here: screenings 1\\.`),
    );
    expect(screen.getByText("+420 601 234 567")).toBeTruthy();

    // The list shows the person once.
    await user.click(screen.getByTestId("back-link"));
    await waitFor(() => expect(screen.getAllByTestId("patient-row")).toHaveLength(2));
  });

  test("opening the merged record says where the person is now, with a link to the kept record", async () => {
    const backend = await startBackend({ patients: PEOPLE, signed_in_as: "admin" });
    const page = await backend.call("search_patients", { search: { query: "testova", include_archived: true, offset: 0, limit: 5 } });
    const [keep, other] = page.items;
    await backend.call("merge_patients", { keep: keep.id, other: other.id });
    const opened: number[] = [];
    const user = userEvent.setup();
    render(PatientRecord, {
      props: { id: other.id, canMerge: true, canErase: true, onBack: () => {}, onEdit: () => {}, onOpenPatient: (id: number) => opened.push(id) },
    });
    const note = await screen.findByTestId("merged-note");
    expect(note.textContent).toMatch(new RegExp(`merged into\\s*${keep.patient_number}`));
    // Nothing to edit, archive, restore or merge on an emptied record.
    for (const id of ["edit-patient", "archive-patient", "merge-patient", "merge-candidates"]) {
      expect(screen.queryByTestId(id)).toBeNull();
    }
    await user.click(screen.getByTestId("open-merged-into"));
    expect(opened).toEqual([keep.id]);
    // Searching by its old number finds the kept record only.
    const byNumber = await backend.call("search_patients", {
      search: { query: other.patient_number, include_archived: true, offset: 0, limit: 5 },
    });
    expect(byNumber.items.map((p) => p.patient_number)).toEqual([keep.patient_number]);
  });

  test("a refusal is shown as the backend says it and no Merge button is offered", async () => {
    const { user } = await openDuplicate();
    await user.click(screen.getByTestId("merge-patient"));
    const dialog = await screen.findByTestId("merge-dialog");
    const own = screen.getByTestId("patient-number").textContent!.trim();
    await user.type(within(dialog).getByTestId("merge-keep-number"), own);
    await user.click(within(dialog).getByTestId("merge-compare"));
    expect((await within(dialog).findByTestId("merge-refusal")).textContent).toMatch(/cannot be merged into itself/);
    expect(within(dialog).queryByTestId("merge-confirm")).toBeNull();
    expect(dialog.contains(document.activeElement)).toBe(true);
    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByTestId("merge-dialog")).toBeNull());
  });

  test("the desk is offered no merge", async () => {
    await openDuplicate("receptionist");
    await screen.findByTestId("patient-name");
    expect(screen.queryByTestId("merge-patient")).toBeNull();
    expect(screen.queryByTestId("merge-candidates")).toBeNull();
  });
});
