import { screen, waitFor } from "@testing-library/svelte";
import { describe, expect, test } from "vitest";
import { chooseAboutFromMenu, installAppMenu } from "./fixtures-app";
import { renderApp, renderHome } from "./helpers";

describe("About Dermis", () => {
  test("the header's About button shows the version, the database and the log folder; Escape closes it", async () => {
    const { user, backend } = await renderHome();
    // Today has loaded (it puts the focus on its heading when it has).
    await screen.findByTestId("today-no-sessions");
    await user.click(screen.getByTestId("open-about"));
    expect((await screen.findByTestId("about-version")).textContent).toMatch(/^\d+\.\d+\.\d+/);
    // The clinic's own database file (the test host keeps each clinic in its folder).
    const dbPath = screen.getByTestId("about-db-path").textContent ?? "";
    expect(dbPath.startsWith(await backend.folder())).toBe(true);
    expect(dbPath.endsWith("dermis.db")).toBe(true);
    // The test host has no log folder: the box says so, and Show logs cannot be pressed.
    expect(screen.getByTestId("about-log-dir").textContent).toBe("No log folder");
    expect((screen.getByTestId("about-show-logs") as HTMLButtonElement).disabled).toBe(true);
    expect(document.activeElement).toBe(screen.getByTestId("about-close"));

    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByTestId("about-dialog")).toBeNull());
    expect(document.activeElement).toBe(screen.getByTestId("open-about"));
  });

  test("Help → About Dermis in the app menu opens it, also on the sign-in screen", async () => {
    installAppMenu();
    const { user, backend } = await renderApp();
    await screen.findByTestId("login-username");
    await chooseAboutFromMenu();
    expect(await screen.findByTestId("about-dialog")).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId("about-db-path").textContent).toMatch(/dermis\.db$/));
    expect(screen.getByTestId("about-db-path").textContent?.startsWith(await backend.folder())).toBe(true);
    await user.click(screen.getByTestId("about-close"));
    await waitFor(() => expect(screen.queryByTestId("about-dialog")).toBeNull());
  });
});
