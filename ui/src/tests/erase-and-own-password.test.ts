import { screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, test } from "vitest";
import { RECEPTIONIST, renderHome, renderSignedIn, waitForRows, type TestBackend } from "./helpers";

/** A patient the test host registers (any PatientInput field, plus `archived`). */
type SeedPatient = Record<string, unknown>;

/** The last names of every patient the clinic holds (archived too), through the real search. */
async function lastNames(backend: TestBackend): Promise<string[]> {
  const page = await backend.call("search_patients", { search: { query: "", include_archived: true, offset: 0, limit: 100 } });
  return page.items.map((p) => p.last_name);
}

const PEOPLE: SeedPatient[] = [
  { first_name: "Emma", last_name: "Smith", date_of_birth: "2001-05-05" },
  { first_name: "Noah", last_name: "Jones", date_of_birth: "1990-02-03" },
];

async function openSmith(signedInAs: "admin" | "receptionist" = "admin") {
  const app = await renderSignedIn({ patients: PEOPLE, signed_in_as: signedInAs });
  await waitFor(() => expect(screen.getAllByTestId("patient-row")).toHaveLength(2));
  await app.user.click(screen.getByRole("row", { name: /Smith/ }));
  await screen.findByTestId("patient-record");
  return app;
}

describe("patient record → Erase (admin)", () => {
  test("needs the patient number typed, then the patient is gone from the list", async () => {
    const { user, backend } = await openSmith();
    const number = screen.getByTestId("patient-number").textContent!.trim();
    await user.click(screen.getByTestId("erase-patient"));
    const dialog = screen.getByRole("dialog");
    expect(within(dialog).getByText(/cannot be undone/)).toBeTruthy();
    // Without the number typed: refused beside the dialog, nothing erased.
    await user.click(within(dialog).getByRole("button", { name: "Erase" }));
    expect(within(screen.getByRole("dialog")).getByText(`Type ${number} to confirm.`)).toBeTruthy();
    expect(await lastNames(backend)).toHaveLength(2);
    await user.type(screen.getByTestId("erase-confirm-input"), number);
    await user.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Erase" }));
    await waitForRows(["Jones, Noah"]);
    expect(await lastNames(backend)).toEqual(["Jones"]);
    expect(backend.calls.filter((c) => c.command === "erase_patient")).toHaveLength(1);
  });

  test("a receptionist has no Erase button", async () => {
    await openSmith("receptionist");
    expect(screen.queryByTestId("erase-patient")).toBeNull();
    expect(screen.getByTestId("archive-patient")).toBeTruthy();
  });
});

describe("Settings → My account → Change my password", () => {
  test("the desk changes its own password; a wrong current one and a weak new one are shown beside the fields", async () => {
    const { user, backend } = await renderHome({ signed_in_as: "receptionist" });
    await user.click(screen.getByTestId("nav-settings"));
    await user.click(await screen.findByTestId("my-password-open"));
    const dialog = screen.getByTestId("my-password-dialog");
    await user.type(within(dialog).getByTestId("my-password-current"), "not my password");
    await user.type(within(dialog).getByTestId("my-password-new"), "amber falcon ribbon cactus");
    await user.type(within(dialog).getByTestId("my-password-again"), "amber falcon ribbon cactus");
    await user.click(within(dialog).getByTestId("my-password-save"));
    expect(await within(dialog).findByText("Your current password is not right.")).toBeTruthy();

    await user.clear(within(dialog).getByTestId("my-password-current"));
    await user.type(within(dialog).getByTestId("my-password-current"), RECEPTIONIST.password);
    await user.clear(within(dialog).getByTestId("my-password-new"));
    await user.type(within(dialog).getByTestId("my-password-new"), "aaaaaaaaaaaa");
    await user.clear(within(dialog).getByTestId("my-password-again"));
    await user.type(within(dialog).getByTestId("my-password-again"), "aaaaaaaaaaaa");
    await user.click(within(dialog).getByTestId("my-password-save"));
    expect(await within(dialog).findByText(/too easy to guess/)).toBeTruthy();

    await user.clear(within(dialog).getByTestId("my-password-new"));
    await user.type(within(dialog).getByTestId("my-password-new"), "amber falcon ribbon cactus");
    await user.clear(within(dialog).getByTestId("my-password-again"));
    await user.type(within(dialog).getByTestId("my-password-again"), "amber falcon ribbon cactus");
    await user.click(within(dialog).getByTestId("my-password-save"));
    expect(await screen.findByTestId("my-password-notice")).toBeTruthy();
    // The new password is the one that signs in now; the old one no longer does.
    await expect(
      backend.call("login", { input: { username: "desk", password: RECEPTIONIST.password } }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      backend.call("login", { input: { username: "desk", password: "amber falcon ribbon cactus" } }),
    ).resolves.toMatchObject({ username: "desk" });
  });
});

describe("Audit log → Checkpoint for paper", () => {
  test("shows the entry count and the head to write down", async () => {
    const { user } = await renderHome();
    await user.click(screen.getByTestId("nav-settings"));
    await user.click(await screen.findByTestId("settings-open-audit"));
    await user.click(await screen.findByTestId("audit-checkpoint"));
    const verdict = await screen.findByTestId("audit-verdict");
    expect(verdict.textContent).toMatch(/Checkpoint — write this down, date and sign it: \d+ entries, head [0-9a-f]{64}\./);
  });
});
