import { screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, test } from "vitest";
import { renderSignedIn, waitForRows, type TestBackend } from "./helpers";

/** A patient the test host registers (any PatientInput field, plus `archived`). */
type SeedPatient = Record<string, unknown>;

/** Whether Emma Smith (the second patient registered, id 2) is archived, as the clinic says. */
async function smithArchived(backend: TestBackend): Promise<boolean> {
  return (await backend.call("get_patient", { id: 2 })).archived;
}

const PEOPLE: SeedPatient[] = [
  {
    first_name: "נועה",
    last_name: "כהן",
    date_of_birth: "1992-10-10",
    sex: "female",
    phone: "+972 52 123 4567",
    email: "noa@example.co.il",
    address: "Herzl 1\nTel Aviv",
    preferred_language: "he",
    notes: "Prefers afternoons.",
  },
  { first_name: "Emma", last_name: "Smith", date_of_birth: "2001-05-05" },
];

async function openRecord(name: RegExp) {
  const app = await renderSignedIn({ patients: PEOPLE });
  await waitFor(() => expect(screen.getAllByTestId("patient-row")).toHaveLength(2));
  await app.user.click(screen.getByRole("row", { name }));
  await screen.findByTestId("patient-record");
  return app;
}

describe("patient record", () => {
  test("shows every field, the date of birth with the age; the clinical tabs and Documents are there", async () => {
    await openRecord(/כהן/);
    const record = screen.getByTestId("patient-record");
    expect(screen.getByTestId("patient-name").textContent?.trim()).toBe("נועה כהן");
    expect(screen.getByTestId("patient-name").getAttribute("dir")).toBe("auto");
    expect(screen.getByTestId("patient-dob-display").textContent).toMatch(/1992.*\(age \d+\)/);
    for (const text of ["Female", "+972 52 123 4567", "noa@example.co.il", "עברית (he)", "Prefers afternoons."]) {
      expect(within(record).getByText(text)).toBeTruthy();
    }
    expect(within(record).getByText(/Herzl 1\s+Tel Aviv/)).toBeTruthy();
    const tabs = within(record).getAllByRole("tab");
    expect(tabs.map((t) => t.textContent?.trim())).toEqual([
      "Profile",
      "Screening",
      "Assessments",
      "Plan",
      "Sessions",
      "Progress",
      "Photos",
      "Documents",
    ]);
    expect(tabs.filter((t) => (t as HTMLButtonElement).disabled)).toEqual([]);
    expect(tabs[0].getAttribute("aria-selected")).toBe("true");
  });

  test("the arrow keys move between the record's tabs", async () => {
    const { user } = await openRecord(/Smith/);
    const profile = screen.getByTestId("profile-tab");
    profile.focus();
    await user.keyboard("{ArrowRight}");
    expect(document.activeElement).toBe(screen.getByTestId("screening-tab"));
    expect(screen.getByTestId("screening-tab").getAttribute("aria-selected")).toBe("true");
    expect(await screen.findByTestId("no-screening")).toBeTruthy();
    await user.keyboard("{End}");
    expect(screen.getByTestId("documents-tab").getAttribute("aria-selected")).toBe("true");
    await user.keyboard("{ArrowRight}");
    expect(document.activeElement).toBe(profile);
    expect(screen.getByTestId("patient-dob-display")).toBeTruthy();
  });

  test("archiving asks first, says nothing is deleted, and hides the patient from the list", async () => {
    const { user, backend } = await openRecord(/Smith/);
    await user.click(screen.getByTestId("archive-patient"));
    const dialog = screen.getByRole("dialog");
    expect(within(dialog).getByText(/Nothing is deleted/)).toBeTruthy();

    // Esc closes the dialog without archiving.
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(await smithArchived(backend)).toBe(false);

    await user.click(screen.getByTestId("archive-patient"));
    await user.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Archive" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(within(screen.getByTestId("patient-record")).getByText("Archived")).toBeTruthy();
    expect(screen.getByTestId("archive-patient").textContent?.trim()).toBe("Restore");
    expect(await smithArchived(backend)).toBe(true);

    await user.click(screen.getByTestId("back-link"));
    await waitForRows(["כהן, נועה"]);
  });

  test("an archived patient can be restored", async () => {
    const { user, backend } = await openRecord(/Smith/);
    await user.click(screen.getByTestId("archive-patient"));
    await user.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Archive" }));
    await waitFor(() => expect(screen.getByTestId("archive-patient").textContent?.trim()).toBe("Restore"));
    await user.click(screen.getByTestId("archive-patient"));
    await user.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Restore" }));
    await waitFor(() => expect(screen.getByTestId("archive-patient").textContent?.trim()).toBe("Archive"));
    expect(await smithArchived(backend)).toBe(false);
    expect(within(screen.getByTestId("patient-record")).queryByText("Archived")).toBeNull();
  });
});
