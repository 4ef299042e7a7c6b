import { fireEvent, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, test } from "vitest";
import { renderSignedIn, waitForRows } from "./helpers";

/** A patient the test host registers (any PatientInput field, plus `archived`). */
type SeedPatient = Record<string, unknown>;

const PEOPLE: SeedPatient[] = [
  { first_name: "José", last_name: "García" },
  { first_name: "Emma", last_name: "Smith" },
];

describe("search shortcuts", () => {
  test("/ focuses the search from the list when not typing", async () => {
    const { user } = await renderSignedIn({ patients: PEOPLE });
    await waitForRows(["García, José", "Smith, Emma"]);
    screen.getAllByTestId("patient-row")[1].focus();
    await user.keyboard("/");
    const search = screen.getByTestId("patient-search") as HTMLInputElement;
    expect(document.activeElement).toBe(search);
    expect(search.value).toBe("");
  });

  test("/ from a patient record goes back to the search", async () => {
    const { user } = await renderSignedIn({ patients: PEOPLE });
    await user.click((await screen.findAllByTestId("patient-row"))[0]);
    await screen.findByTestId("patient-record");
    await user.keyboard("/");
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId("patient-search")));
  });

  test("Ctrl+K focuses the search from the record, and works even inside the search box", async () => {
    const { user } = await renderSignedIn({ patients: PEOPLE });
    await user.click((await screen.findAllByTestId("patient-row"))[1]);
    await screen.findByTestId("patient-record");
    await user.keyboard("{Control>}k{/Control}");
    const search = await screen.findByTestId("patient-search");
    await waitFor(() => expect(document.activeElement).toBe(search));
    await user.keyboard("{Control>}k{/Control}");
    expect((search as HTMLInputElement).value).toBe("");
  });

  test("/ typed in a form field is just a character", async () => {
    const { user } = await renderSignedIn({ patients: PEOPLE });
    await user.click(screen.getByTestId("new-patient"));
    const address = await screen.findByTestId("patient-address");
    await user.type(address, "Flat 3/2");
    expect((address as HTMLTextAreaElement).value).toBe("Flat 3/2");
    expect(screen.queryByTestId("patient-search")).toBeNull();
  });

  test("/ in the search box types a slash (for dates like 17/05/1990)", async () => {
    const { user } = await renderSignedIn({ patients: PEOPLE });
    await user.type(screen.getByTestId("patient-search"), "17/05");
    expect((screen.getByTestId("patient-search") as HTMLInputElement).value).toBe("17/05");
  });

  test("shortcuts wait while a dialog is open", async () => {
    const { user } = await renderSignedIn({ patients: PEOPLE });
    await user.click((await screen.findAllByTestId("patient-row"))[0]);
    await user.click(await screen.findByTestId("archive-patient"));
    expect(screen.getByRole("dialog")).toBeTruthy();
    fireEvent.keyDown(document.body, { key: "k", ctrlKey: true });
    expect(screen.getByRole("dialog")).toBeTruthy();
    expect(screen.queryByTestId("patient-search")).toBeNull();
  });
});

describe("leaving a form with unsaved changes", () => {
  test("Ctrl+K from an untouched form goes straight to the search", async () => {
    const { user } = await renderSignedIn({ patients: PEOPLE });
    await user.click(screen.getByTestId("new-patient"));
    await screen.findByTestId("patient-first-name");
    await user.keyboard("{Control>}k{/Control}");
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId("patient-search")));
  });

  test("Ctrl+K from a form with typing asks first; staying keeps the typing", async () => {
    const { user, backend } = await renderSignedIn({ patients: PEOPLE });
    await user.click(screen.getByTestId("new-patient"));
    await user.type(await screen.findByTestId("patient-first-name"), "Ana");
    await user.keyboard("{Control>}k{/Control}");
    const dialog = screen.getByRole("dialog");
    expect(dialog.textContent).toMatch(/Leave without saving/);
    await user.click(within(dialog).getByRole("button", { name: "Keep editing" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect((screen.getByTestId("patient-first-name") as HTMLInputElement).value).toBe("Ana");

    await user.click(screen.getByTestId("nav-patients"));
    await user.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Discard changes" }));
    expect(await screen.findByTestId("patient-search")).toBeTruthy();
    expect(backend.calls.some((c) => c.command === "create_patient")).toBe(false);
  });
});
