import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, test } from "vitest";
import { formatDate, parseDate, setDatePattern } from "../lib/dateformat.svelte";
import DateFieldHarness from "./DateFieldHarness.svelte";
import { renderSignedIn } from "./helpers";

afterEach(() => setDatePattern("YYYY-MM-DD"));

const value = () => screen.getByTestId("value").textContent;
const input = () => screen.getByTestId("dob") as HTMLInputElement;

describe("the date field", () => {
  test("typing in the clinic's format (or ISO) gives the ISO date; the hint says it in words", async () => {
    setDatePattern("DD/MM/YYYY");
    const user = userEvent.setup();
    render(DateFieldHarness);
    expect(input().placeholder).toBe("DD/MM/YYYY");
    await user.type(input(), "17/3/1979");
    expect(value()).toBe("1979-03-17");
    expect(screen.getByText(/Saturday, 17 March 1979|Saturday, March 17, 1979/)).toBeTruthy();
    await user.clear(input());
    await user.type(input(), "1979-03-18");
    expect(value()).toBe("1979-03-18");
    // Eight digits in the clinic's order, tidied when the field is left.
    await user.clear(input());
    await user.type(input(), "17031979");
    expect(value()).toBe("1979-03-17");
    await user.click(screen.getByTestId("elsewhere"));
    expect(input().value).toBe("17/03/1979");
    // A date set from outside shows the clinic's way.
    await user.click(screen.getByTestId("set-from-outside"));
    await waitFor(() => expect(input().value).toBe("17/03/1979"));
  });

  test("the same digits mean another day in a clinic that writes month first", async () => {
    setDatePattern("MM/DD/YYYY");
    const user = userEvent.setup();
    render(DateFieldHarness);
    await user.type(input(), "03/04/1990");
    expect(value()).toBe("1990-03-04");
  });

  test("text that is not a date says so when the field is left, naming the format", async () => {
    setDatePattern("DD.MM.YYYY");
    const user = userEvent.setup();
    render(DateFieldHarness);
    await user.type(input(), "31.02.1990");
    expect(screen.queryByTestId("error-date_of_birth")).toBeNull();
    await user.click(screen.getByTestId("elsewhere"));
    const error = await screen.findByTestId("error-date_of_birth");
    expect(error.textContent).toBe("“31.02.1990” is not a date: type it as DD.MM.YYYY, e.g. 31.12.2026, or pick it from the calendar.");
    expect(input().getAttribute("aria-invalid")).toBe("true");
    expect(input().getAttribute("aria-describedby")).toContain(error.id);
    // The typed text is passed on (the backend refuses it beside the field too).
    expect(value()).toBe("31.02.1990");
    await user.clear(input());
    await user.type(input(), "28.02.1990");
    expect(screen.queryByTestId("error-date_of_birth")).toBeNull();
    expect(value()).toBe("1990-02-28");
  });

  test("the calendar opens on the field's date, arrow keys move, Enter picks, Escape closes back to its button", async () => {
    setDatePattern("DD/MM/YYYY");
    const user = userEvent.setup();
    render(DateFieldHarness, { props: { initial: "1979-03-17" } });
    const toggle = screen.getByRole("button", { name: "Choose the date of birth from a calendar" });
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    await user.click(toggle);
    const popup = screen.getByRole("dialog", { name: "Date of birth: choose a date" });
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    expect(within(popup).getByRole("grid", { name: "March 1979" })).toBeTruthy();
    expect(document.activeElement?.getAttribute("data-date")).toBe("1979-03-17");
    await user.keyboard("{ArrowRight}{ArrowDown}");
    expect(document.activeElement?.getAttribute("data-date")).toBe("1979-03-25");
    await user.keyboard("{PageDown}");
    expect(document.activeElement?.getAttribute("data-date")).toBe("1979-04-25");
    expect(within(popup).getByRole("grid", { name: "April 1979" })).toBeTruthy();
    await user.keyboard("{Enter}");
    expect(value()).toBe("1979-04-25");
    expect(input().value).toBe("25/04/1979");
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(document.activeElement).toBe(toggle);
    // Escape closes without picking.
    await user.click(toggle);
    await user.keyboard("{ArrowLeft}{Escape}");
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(value()).toBe("1979-04-25");
    expect(document.activeElement).toBe(toggle);
  });

  test("a day is picked with the mouse after choosing month and year from their lists", async () => {
    const user = userEvent.setup();
    render(DateFieldHarness);
    await user.click(screen.getByRole("button", { name: /from a calendar/ }));
    const popup = screen.getByRole("dialog");
    await user.selectOptions(within(popup).getByRole("combobox", { name: "Year" }), "1985");
    await user.selectOptions(within(popup).getByRole("combobox", { name: "Month" }), "7");
    expect(within(popup).getByRole("grid", { name: "July 1985" })).toBeTruthy();
    await user.click(popup.querySelector<HTMLButtonElement>('[data-date="1985-07-09"]')!);
    expect(value()).toBe("1985-07-09");
    expect(input().value).toBe("1985-07-09");
  });

  test("parse and format round-trip every day of a year in every clinic format", () => {
    for (const pattern of ["DD/MM/YYYY", "MM/DD/YYYY", "YYYY-MM-DD", "DD.MM.YYYY"]) {
      const day = new Date(Date.UTC(2028, 0, 1));
      while (day.getUTCFullYear() === 2028) {
        const iso = day.toISOString().slice(0, 10);
        expect(parseDate(formatDate(iso, pattern), pattern)).toBe(iso);
        day.setUTCDate(day.getUTCDate() + 1);
      }
    }
  });
});

describe("the clinic's date format on screens", () => {
  test("an admin chooses the format in Settings; the patient list and a search by birth date use it", async () => {
    const { user } = await renderSignedIn({
      patients: [{ first_name: "Ann", last_name: "Lee", date_of_birth: "1979-03-17" }],
    });
    await user.click(screen.getByTestId("nav-settings"));
    const select = await screen.findByTestId("settings-date-format");
    await waitFor(() => expect(within(select).getAllByRole("option")).toHaveLength(5));
    expect(within(select).getByRole("option", { name: "DD.MM.YYYY — 31.12.2026" })).toBeTruthy();
    await user.selectOptions(select, "day_month_year_dots");
    await user.click(screen.getByTestId("settings-date-format-save"));
    expect((await screen.findByTestId("settings-date-format-notice")).textContent).toBe("Dates are now written DD.MM.YYYY.");
    await user.click(screen.getByTestId("nav-patients"));
    const row = await screen.findByRole("row", { name: /Lee, Ann/ });
    expect(within(row).getByText("17.03.1979")).toBeTruthy();
    await user.type(screen.getByTestId("patient-search"), "17.03.1979");
    await waitFor(() => expect(screen.getAllByTestId("patient-row")).toHaveLength(1));
    await user.clear(screen.getByTestId("patient-search"));
    await user.type(screen.getByTestId("patient-search"), "18.03.1979");
    await screen.findByTestId("patient-list-empty");
  });
});
