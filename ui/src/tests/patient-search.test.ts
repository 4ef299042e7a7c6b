import { screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, test } from "vitest";
import { renderSignedIn, rowNames, searchCalls, sleep, waitForRows } from "./helpers";

/** A patient the test host registers (any PatientInput field, plus `archived`). */
type SeedPatient = Record<string, unknown>;

const PEOPLE: SeedPatient[] = [
  { first_name: "José", last_name: "García", date_of_birth: "1991-03-14", phone: "+34 612 345 678" },
  { first_name: "Joseph", last_name: "Klein", date_of_birth: "1980-01-01", phone: "020 7946 0958" },
  { first_name: "Zoë", last_name: "Müller", date_of_birth: "1993-05-17", phone: "+49 30 1234567" },
  { first_name: "أحمد", last_name: "الخطيب", date_of_birth: "1987-06-03", phone: "+971 50 123 4567" },
  { first_name: "Eleni", last_name: "Georgiou", date_of_birth: "1993-06-30", archived: true },
];

describe("patient list", () => {
  test("lists everyone alphabetically by last name, without archived patients", async () => {
    await renderSignedIn({ patients: PEOPLE });
    await waitForRows(["García, José", "Klein, Joseph", "Müller, Zoë", "الخطيب, أحمد"]);
    expect(screen.getByTestId("patient-count").textContent).toBe("4 patients");
    const row = screen.getAllByTestId("patient-row")[0];
    expect(row.getAttribute("data-patient-id")).toBe("1");
    expect(within(row).getByText("P-000001")).toBeTruthy();
    expect(within(row).getByText("+34 612 345 678")).toBeTruthy();
  });

  test('typing "jose" finds "José" (accents and case do not matter)', async () => {
    const { user } = await renderSignedIn({ patients: PEOPLE });
    await waitForRows(["García, José", "Klein, Joseph", "Müller, Zoë", "الخطيب, أحمد"]);
    await user.type(screen.getByTestId("patient-search"), "jose ");
    await waitForRows(["García, José", "Klein, Joseph"]);
    await user.clear(screen.getByTestId("patient-search"));
    await user.type(screen.getByTestId("patient-search"), "GARCIA");
    await waitForRows(["García, José"]);
    expect(screen.getByTestId("patient-count").textContent).toBe("1 patient found");
  });

  test("finds by phone digits, date of birth and patient number", async () => {
    const { user } = await renderSignedIn({ patients: PEOPLE });
    const search = screen.getByTestId("patient-search");
    await user.type(search, "7946 0958");
    await waitForRows(["Klein, Joseph"]);
    await user.clear(search);
    await user.type(search, "17/05/1993");
    await waitForRows(["Müller, Zoë"]);
    await user.clear(search);
    await user.type(search, "P-000004");
    await waitForRows(["الخطيب, أحمد"]);
  });

  test("the search box's aria-controls names the results table only while it is there", async () => {
    const { user } = await renderSignedIn({ patients: PEOPLE });
    await waitForRows(["García, José", "Klein, Joseph", "Müller, Zoë", "الخطيب, أحمد"]);
    const search = screen.getByTestId("patient-search");
    const controlled = () => {
      const id = search.getAttribute("aria-controls");
      return id === null ? null : document.getElementById(id);
    };
    expect(controlled()?.tagName).toBe("TABLE");
    await user.type(search, "nobody by this name");
    await screen.findByTestId("patient-list-empty");
    // Never an id that is not in the page.
    expect(search.getAttribute("aria-controls")).toBeNull();
    await user.clear(search);
    await waitForRows(["García, José", "Klein, Joseph", "Müller, Zoë", "الخطيب, أحمد"]);
    expect(controlled()?.tagName).toBe("TABLE");
  });

  test("typing fast sends one search, not one per key", async () => {
    const { user, backend } = await renderSignedIn({ patients: PEOPLE });
    await waitForRows(["García, José", "Klein, Joseph", "Müller, Zoë", "الخطيب, أحمد"]);
    await user.type(screen.getByTestId("patient-search"), "muller");
    await waitForRows(["Müller, Zoë"]);
    // Without the debounce there would be one search per key: "", m, mu, mul, mull, mulle, muller.
    const calls = searchCalls(backend);
    expect(calls.length).toBeLessThan(7);
    expect(calls.at(-1)).toBe("muller");
  });

  test("archived patients appear, marked, only with Include archived", async () => {
    const { user } = await renderSignedIn({ patients: PEOPLE });
    await user.type(screen.getByTestId("patient-search"), "eleni");
    expect(await screen.findByText(/No patient matches/)).toBeTruthy();
    expect(screen.getByText(/Include archived/, { selector: "p *, p" })).toBeTruthy();

    await user.click(screen.getByTestId("include-archived"));
    await waitForRows(["Georgiou, Eleni"]);
    const row = screen.getByTestId("patient-row");
    expect(row.classList.contains("archived")).toBe(true);
    expect(within(row).getByText("Archived")).toBeTruthy();

    await user.click(screen.getByTestId("include-archived"));
    await waitFor(() => expect(screen.queryAllByTestId("patient-row")).toHaveLength(0));
  });

  test("an answer to an older search never replaces the newer one", async () => {
    const { user, backend } = await renderSignedIn({
      patients: PEOPLE,
      // The search for "klein" is slow; the later search for "zoe" answers at once.
      delay: (command, args) =>
        command === "search_patients" && (args.search as { query: string }).query === "klein" ? 300 : 0,
    });
    await waitForRows(["García, José", "Klein, Joseph", "Müller, Zoë", "الخطيب, أحمد"]);
    const search = screen.getByTestId("patient-search");
    await user.type(search, "klein");
    await waitFor(() => expect(searchCalls(backend)).toContain("klein"));
    await user.clear(search);
    await user.type(search, "zoe");
    await waitForRows(["Müller, Zoë"]);
    // Let the slow "klein" answer arrive: the list must still show the "zoe" results.
    await sleep(400);
    expect(rowNames()).toEqual(["Müller, Zoë"]);
  });

  test("Show more loads the next page of 50", async () => {
    const many: SeedPatient[] = Array.from({ length: 60 }, (_, i) => ({
      first_name: "Test",
      last_name: `Patient ${String(i + 1).padStart(2, "0")}`,
    }));
    const { user, backend } = await renderSignedIn({ patients: many });
    await waitFor(() => expect(screen.getAllByTestId("patient-row")).toHaveLength(50));
    expect(screen.getByTestId("patient-count").textContent).toBe("Showing the first 50 patients");
    await user.click(screen.getByTestId("show-more"));
    await waitFor(() => expect(screen.getAllByTestId("patient-row")).toHaveLength(60));
    expect(rowNames().at(-1)).toBe("Patient 60, Test");
    expect(screen.queryByTestId("show-more")).toBeNull();
    expect(screen.getByTestId("patient-count").textContent).toBe("60 patients");
    const last = backend.calls.filter((c) => c.command === "search_patients").at(-1);
    expect(last?.args.search).toEqual({ query: "", include_archived: false, offset: 50, limit: 50 });
  });

  test("with no patients the list says how to add one", async () => {
    const { user } = await renderSignedIn({ patients: [] });
    expect(await screen.findByText("No patients yet")).toBeTruthy();
    await user.click(within(screen.getByTestId("patient-list-empty")).getByRole("button", { name: "New patient" }));
    expect(await screen.findByTestId("patient-first-name")).toBeTruthy();
  });

  test("clicking a row opens the record; Back returns to the same search", async () => {
    const { user } = await renderSignedIn({ patients: PEOPLE });
    await user.type(screen.getByTestId("patient-search"), "zoe");
    await waitForRows(["Müller, Zoë"]);
    await user.click(screen.getByTestId("patient-row"));
    expect((await screen.findByTestId("patient-name")).textContent?.trim()).toBe("Zoë Müller");
    await user.click(screen.getByTestId("back-link"));
    expect(((await screen.findByTestId("patient-search")) as HTMLInputElement).value).toBe("zoe");
    await waitForRows(["Müller, Zoë"]);
  });

  test("arrow keys move between rows and Enter opens the focused one", async () => {
    const { user } = await renderSignedIn({ patients: PEOPLE });
    await waitForRows(["García, José", "Klein, Joseph", "Müller, Zoë", "الخطيب, أحمد"]);
    const rows = screen.getAllByTestId("patient-row");
    expect(document.activeElement).toBe(screen.getByTestId("patient-search"));
    await user.keyboard("{ArrowDown}");
    expect(document.activeElement).toBe(rows[0]);
    await user.keyboard("{ArrowDown}{ArrowDown}");
    expect(document.activeElement).toBe(rows[2]);
    await user.keyboard("{ArrowUp}");
    expect(document.activeElement).toBe(rows[1]);
    await user.keyboard("{Enter}");
    expect((await screen.findByTestId("patient-name")).textContent?.trim()).toBe("Joseph Klein");
  });

  test("Enter in the search box opens the top result once it matches what was typed", async () => {
    const { user } = await renderSignedIn({ patients: PEOPLE });
    await user.type(screen.getByTestId("patient-search"), "P-000003");
    await waitForRows(["Müller, Zoë"]);
    await user.keyboard("{Enter}");
    expect((await screen.findByTestId("patient-name")).textContent?.trim()).toBe("Zoë Müller");
  });
});
