import { screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, test } from "vitest";
import { renderSignedIn, type TestBackend } from "./helpers";

/** A patient the test host registers (any PatientInput field, plus `archived`). */
type SeedPatient = Record<string, unknown>;

const TODAY = "2026-03-01";

/** Every patient the clinic holds (archived too), read through the real search. */
async function allPatients(backend: TestBackend) {
  const page = await backend.call("search_patients", { search: { query: "", include_archived: true, offset: 0, limit: 100 } });
  return Promise.all(page.items.map((p) => backend.call("get_patient", { id: p.id })));
}
const PEOPLE: SeedPatient[] = [
  { first_name: "José", last_name: "García", date_of_birth: "1991-03-14", phone: "+34 612 345 678", preferred_language: "es" },
];

async function openNewPatient(options = {}) {
  const app = await renderSignedIn({ patients: PEOPLE, today: TODAY, ...options });
  await app.user.click(screen.getByTestId("new-patient"));
  await screen.findByTestId("patient-first-name");
  return app;
}

function fieldOf(element: HTMLElement): HTMLElement {
  return element.closest(".field") as HTMLElement;
}

describe("new patient form", () => {
  test("Enter in a field saves the patient and opens the new record", async () => {
    const { user, backend } = await openNewPatient();
    expect(document.activeElement).toBe(screen.getByTestId("patient-first-name"));
    await user.type(screen.getByTestId("patient-first-name"), "Zoë");
    await user.type(screen.getByTestId("patient-last-name"), "Müller");
    await user.type(screen.getByTestId("patient-dob"), "1996-07-21");
    await user.selectOptions(screen.getByTestId("patient-sex"), "female");
    await user.type(screen.getByTestId("patient-phone"), "+49 30 1234567");
    await user.selectOptions(screen.getByTestId("patient-language"), "de");
    await user.type(screen.getByTestId("patient-email"), "zoe@example.de{Enter}");

    const record = await screen.findByTestId("patient-record");
    expect(screen.getByTestId("patient-name").textContent?.trim()).toBe("Zoë Müller");
    expect(within(record).getByText("P-000002")).toBeTruthy();
    expect(within(record).getByText("Deutsch (de)")).toBeTruthy();
    expect(within(record).getByText("Female")).toBeTruthy();
    expect(screen.getByTestId("record-notice").textContent).toMatch(/Zoë Müller was added as P-000002/);
    const created = (await allPatients(backend)).find((p) => p.last_name === "Müller");
    expect(created).toMatchObject({ date_of_birth: "1996-07-21", sex: "female", preferred_language: "de", phone: "+49 30 1234567" });
  });

  test("an empty first name: the backend's message shows beside that field and the form stays", async () => {
    const { user, backend } = await openNewPatient();
    await user.type(screen.getByTestId("patient-first-name"), "   ");
    await user.type(screen.getByTestId("patient-last-name"), "Müller");
    await user.type(screen.getByTestId("patient-dob"), "1996-07-21");
    await user.click(screen.getByTestId("patient-save"));

    const error = await screen.findByTestId("error-first_name");
    expect(error.textContent).toBe("Enter the first name.");
    const input = screen.getByTestId("patient-first-name");
    expect(fieldOf(error)).toBe(fieldOf(input));
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(input.getAttribute("aria-describedby")).toBe(error.id);
    expect(document.activeElement).toBe(input);
    expect(screen.queryByTestId("error-last_name")).toBeNull();
    expect(screen.queryByTestId("patient-record")).toBeNull();
    expect(await allPatients(backend)).toHaveLength(1);
  });

  test("several bad fields: each error sits beside its own field; focus goes to the first", async () => {
    const { user } = await openNewPatient();
    await user.type(screen.getByTestId("patient-first-name"), "Ana");
    await user.type(screen.getByTestId("patient-last-name"), "Silva");
    await user.type(screen.getByTestId("patient-dob"), "2030-01-01");
    await user.type(screen.getByTestId("patient-phone"), "call me");
    await user.click(screen.getByTestId("patient-save"));

    const dobError = await screen.findByTestId("error-date_of_birth");
    expect(dobError.textContent).toMatch(/in the future/);
    expect(fieldOf(dobError)).toBe(fieldOf(screen.getByTestId("patient-dob")));
    const phoneError = screen.getByTestId("error-phone");
    expect(phoneError.textContent).toMatch(/can only contain digits/);
    expect(fieldOf(phoneError)).toBe(fieldOf(screen.getByTestId("patient-phone")));
    expect(document.activeElement).toBe(screen.getByTestId("patient-dob"));

    // Fixing a field clears its message; saving again succeeds.
    await user.clear(screen.getByTestId("patient-phone"));
    expect(screen.queryByTestId("error-phone")).toBeNull();
    await user.clear(screen.getByTestId("patient-dob"));
    await user.type(screen.getByTestId("patient-dob"), "1990-01-01");
    await user.click(screen.getByTestId("patient-save"));
    expect((await screen.findByTestId("patient-name")).textContent?.trim()).toBe("Ana Silva");
  });

  test("Esc with typing asks first (issue 22), then Discard goes back to the list, nothing saved", async () => {
    const { user, backend } = await openNewPatient();
    await user.type(screen.getByTestId("patient-first-name"), "Half typed");
    await user.keyboard("{Escape}");
    await user.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Discard changes" }));
    expect(await screen.findByTestId("patient-search")).toBeTruthy();
    expect(screen.queryByTestId("patient-first-name")).toBeNull();
    expect(backend.calls.some((c) => c.command === "create_patient")).toBe(false);
  });

  test("Cancel and the back link also leave without saving", async () => {
    const { user, backend } = await openNewPatient();
    await user.type(screen.getByTestId("patient-first-name"), "Half typed");
    await user.click(screen.getByTestId("patient-cancel"));
    expect(await screen.findByTestId("patient-search")).toBeTruthy();
    await user.click(screen.getByTestId("new-patient"));
    await user.click(await screen.findByTestId("back-link"));
    expect(await screen.findByTestId("patient-search")).toBeTruthy();
    expect(backend.calls.some((c) => c.command === "create_patient")).toBe(false);
  });

  test("Enter in the notes is a new line, not a save", async () => {
    const { user, backend } = await openNewPatient();
    await user.type(screen.getByTestId("patient-notes"), "Line one{Enter}Line two");
    expect((screen.getByTestId("patient-notes") as HTMLTextAreaElement).value).toBe("Line one\nLine two");
    expect(backend.calls.some((c) => c.command === "create_patient")).toBe(false);
  });
});

describe("editing a patient", () => {
  async function openEdit(options = {}) {
    const app = await renderSignedIn({ patients: PEOPLE, today: TODAY, ...options });
    await app.user.click(await screen.findByTestId("patient-row"));
    await app.user.click(await screen.findByTestId("edit-patient"));
    await screen.findByTestId("patient-first-name");
    return app;
  }

  test("the form starts from the record and saving sends the version it started from", async () => {
    const { user, backend } = await openEdit();
    expect((screen.getByTestId("patient-first-name") as HTMLInputElement).value).toBe("José");
    expect((screen.getByTestId("patient-dob") as HTMLInputElement).value).toBe("1991-03-14");
    expect((screen.getByTestId("patient-language") as HTMLSelectElement).value).toBe("es");
    await user.clear(screen.getByTestId("patient-phone"));
    await user.type(screen.getByTestId("patient-phone"), "+34 699 000 111{Enter}");

    expect(await screen.findByText("Changes saved.")).toBeTruthy();
    expect(await screen.findByText("+34 699 000 111")).toBeTruthy();
    const update = backend.calls.find((c) => c.command === "update_patient");
    expect(update?.args).toMatchObject({ id: 1, expected_version: 1 });
    expect((await backend.call("get_patient", { id: 1 })).version).toBe(2);
  });

  test("Esc leaves the edit (after asking, as something was typed) without saving and returns to the record", async () => {
    const { user, backend } = await openEdit();
    await user.type(screen.getByTestId("patient-last-name"), "-Changed");
    await user.keyboard("{Escape}");
    await user.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Discard changes" }));
    expect((await screen.findByTestId("patient-name")).textContent?.trim()).toBe("José García");
    expect(backend.calls.some((c) => c.command === "update_patient")).toBe(false);
  });

  test("someone else's change in the meantime: a banner says so, nothing is overwritten, Reload shows theirs", async () => {
    const { user, backend } = await openEdit();
    // Someone at another desk saves a change to the same patient first.
    const theirs = await backend.call("get_patient", { id: 1 });
    await backend.call("update_patient", {
      id: 1,
      expected_version: theirs.version,
      input: {
        first_name: theirs.first_name,
        last_name: theirs.last_name,
        date_of_birth: theirs.date_of_birth,
        sex: theirs.sex,
        phone: "+34 600 000 000",
        email: theirs.email,
        address: theirs.address,
        preferred_language: theirs.preferred_language,
        notes: theirs.notes,
      },
    });
    await user.clear(screen.getByTestId("patient-phone"));
    await user.type(screen.getByTestId("patient-phone"), "+34 611 111 111");
    await user.click(screen.getByTestId("patient-save"));

    const banner = await screen.findByTestId("form-banner");
    expect(banner.textContent).toMatch(/admin changed this patient's details at \d\d:\d\d, while you were editing/);
    expect(screen.getByTestId("patient-first-name")).toBeTruthy();
    expect((await backend.call("get_patient", { id: 1 })).phone).toBe("+34 600 000 000");

    await user.click(screen.getByTestId("reload-patient"));
    await waitFor(() =>
      expect((screen.getByTestId("patient-phone") as HTMLInputElement).value).toBe("+34 600 000 000"),
    );
    await user.click(screen.getByTestId("patient-save"));
    expect(await screen.findByText("Changes saved.")).toBeTruthy();
    expect(backend.calls.filter((c) => c.command === "update_patient").at(-1)?.args.expected_version).toBe(2);
  });
});

describe("typedIsoDate", () => {
  test("formats digits into YYYY-MM-DD as they are typed", async () => {
    const { typedIsoDate, dateOfBirthHint } = await import("../lib/format");
    expect(typedIsoDate("1990")).toBe("1990");
    expect(typedIsoDate("19900")).toBe("1990-0");
    expect(typedIsoDate("19900517")).toBe("1990-05-17");
    expect(typedIsoDate("1990-05-17")).toBe("1990-05-17");
    expect(typedIsoDate("1990/05/17 extra 99")).toBe("1990-05-17");
    expect(dateOfBirthHint("1990-05")).toMatch(/e\.g\./);
    expect(dateOfBirthHint("1990-05-17")).toMatch(/1990/);
    expect(dateOfBirthHint("1990-05-17")).toMatch(/age \d+/);
  });
});

describe("name order", () => {
  test("Chinese, Japanese and Korean names show family name first, others given name first", async () => {
    const { fullName, listName } = await import("../lib/format");
    expect(fullName({ first_name: "小明", last_name: "王" })).toBe("王小明");
    expect(fullName({ first_name: "서연", last_name: "최" })).toBe("최서연");
    expect(fullName({ first_name: "さくら", last_name: "佐藤" })).toBe("佐藤さくら");
    expect(listName({ first_name: "小明", last_name: "王" })).toBe("王小明");
    expect(fullName({ first_name: "José", last_name: "Núñez" })).toBe("José Núñez");
    expect(listName({ first_name: "José", last_name: "Núñez" })).toBe("Núñez, José");
    expect(fullName({ first_name: "Anna", last_name: "王" })).toBe("Anna 王");
  });
});

describe("possible duplicates (the backend's check, before a new patient is added)", () => {
  const ZOE: SeedPatient = { first_name: "Zoë", last_name: "Testová", date_of_birth: "1991-02-28", phone: "+44 7700 900123" };

  async function typeZoe(user: Awaited<ReturnType<typeof openNewPatient>>["user"]) {
    await user.type(screen.getByTestId("patient-first-name"), "Zoe");
    await user.type(screen.getByTestId("patient-last-name"), "Testova");
    await user.type(screen.getByTestId("patient-dob"), "1991-02-28");
    await user.click(screen.getByTestId("patient-save"));
  }

  test("the same name without accents and the same birth date is shown, not saved, until the desk says it is someone else", async () => {
    const { user, backend } = await openNewPatient({ patients: [ZOE] });
    await typeZoe(user);

    const warning = await screen.findByTestId("duplicate-warning");
    const candidates = within(warning).getAllByTestId("duplicate-candidate");
    expect(candidates).toHaveLength(1);
    expect(candidates[0].textContent).toMatch(/Zoë Testová/);
    expect(candidates[0].textContent).toMatch(/P-000001/);
    expect(backend.calls.some((c) => c.command === "create_patient")).toBe(false);
    expect(await allPatients(backend)).toHaveLength(1);

    await user.click(within(warning).getByTestId("not-a-duplicate"));
    await screen.findByTestId("patient-record");
    expect(screen.getByTestId("record-notice").textContent).toMatch(/Zoe Testova was added as P-000002/);
    expect(await allPatients(backend)).toHaveLength(2);
  });

  test("Open the existing record goes to it and adds nobody", async () => {
    const { user, backend } = await openNewPatient({ patients: [ZOE] });
    await typeZoe(user);
    await user.click(await screen.findByTestId("open-existing"));
    await screen.findByTestId("patient-record");
    expect(screen.getByTestId("patient-name").textContent?.trim()).toBe("Zoë Testová");
    expect(await allPatients(backend)).toHaveLength(1);
  });

  test("changing the name after the warning asks the backend again", async () => {
    const { user, backend } = await openNewPatient({ patients: [ZOE] });
    await typeZoe(user);
    await screen.findByTestId("duplicate-warning");
    await user.clear(screen.getByTestId("patient-last-name"));
    await user.type(screen.getByTestId("patient-last-name"), "Novak");
    expect(screen.queryByTestId("duplicate-warning")).toBeNull();
    await user.click(screen.getByTestId("patient-save"));
    await screen.findByTestId("patient-record");
    // Two checks of the form (the record then opened asks once more, for its own look-alikes: except = its id).
    expect(backend.calls.filter((c) => c.command === "possible_duplicates" && c.args.except === null)).toHaveLength(2);
  });
});
