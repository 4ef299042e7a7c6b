// Issue 22: the screens write dates the clinic's way. Today's heading, the
// appointments' weekday dates and the calendar's columns used the browser's
// words ("Wed, 4 Mar 2026", "4 Mar") whatever the clinic chose; now the
// weekday stays a word and the date follows the setting, as on the documents.
import { screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, describe, expect, test } from "vitest";
import { setDatePattern } from "../lib/dateformat.svelte";
import { dateInWords, dayMonth, longDate, weekdayDate } from "../lib/format";
import { TODAY, pinToday, renderHome } from "./helpers";

afterEach(() => setDatePattern("YYYY-MM-DD"));

const MONTH_WORDS = /Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec/;

describe("dates on screens follow the clinic's format", () => {
  test("a weekday date, a day's heading and a calendar column, in each format", () => {
    setDatePattern("DD.MM.YYYY");
    expect(weekdayDate("2026-12-08")).toBe("Tue 08.12.2026");
    expect(longDate("2026-12-08")).toBe("Tuesday 08.12.2026");
    expect(dayMonth("2026-12-08")).toBe("08.12");
    setDatePattern("MM/DD/YYYY");
    expect(weekdayDate("2026-12-08")).toBe("Tue 12/08/2026");
    expect(longDate("2026-12-08")).toBe("Tuesday 12/08/2026");
    expect(dayMonth("2026-12-08")).toBe("12/08");
    setDatePattern("YYYY-MM-DD");
    expect(dayMonth("2026-12-08")).toBe("12-08");
    for (const text of [weekdayDate("2026-12-08"), longDate("2026-12-08"), dayMonth("2026-12-08")]) {
      expect(text).not.toMatch(MONTH_WORDS);
    }
    // Not a date: shown as it came.
    expect(weekdayDate("soon")).toBe("soon");
    expect(dayMonth("2026-13-45")).toBe("2026-13-45");
    // Words stay only where they confirm a typed or picked day.
    expect(dateInWords("2026-12-08")).toMatch(/December/);
  });

  test("Today's heading is written the way the admin chose in Settings", async () => {
    pinToday(TODAY);
    const { user } = await renderHome();
    await user.click(screen.getByTestId("nav-settings"));
    const select = await screen.findByTestId("settings-date-format");
    await waitFor(() => expect(within(select).getAllByRole("option")).toHaveLength(5));
    await user.selectOptions(select, "month_day_year");
    await user.click(screen.getByTestId("settings-date-format-save"));
    await screen.findByTestId("settings-date-format-notice");
    await user.click(screen.getByTestId("nav-today"));
    const heading = await screen.findByTestId("today-date");
    expect(heading.textContent).toBe("Wednesday 03/04/2026");
    expect(heading.textContent).not.toMatch(MONTH_WORDS);
  });
});
