import { screen, waitFor } from "@testing-library/svelte";
import { describe, expect, test } from "vitest";
import { chooseAboutFromMenu, MOCK_APP_INFO } from "../lib/backend/mock-app";
import { renderApp, renderHome } from "./helpers";

describe("About Dermis", () => {
  test("the header's About button shows the version, the database and the log folder; Escape closes it", async () => {
    const { user, backend } = await renderHome();
    await user.click(screen.getByTestId("open-about"));
    expect(await screen.findByTestId("about-version")).toHaveProperty("textContent", MOCK_APP_INFO.version);
    expect(screen.getByTestId("about-db-path").textContent).toBe(MOCK_APP_INFO.db_path);
    expect(screen.getByTestId("about-log-dir").textContent).toBe(MOCK_APP_INFO.log_dir);
    expect(document.activeElement).toBe(screen.getByTestId("about-close"));

    await user.click(screen.getByTestId("about-show-logs"));
    await waitFor(() => expect(backend.calls.some((c) => c.command === "show_logs")).toBe(true));

    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByTestId("about-dialog")).toBeNull());
    expect(document.activeElement).toBe(screen.getByTestId("open-about"));
  });

  test("Help → About Dermis in the app menu opens it, also on the sign-in screen", async () => {
    const { user } = renderApp({ signedIn: false });
    await screen.findByTestId("login-username");
    await chooseAboutFromMenu();
    expect(await screen.findByTestId("about-dialog")).toBeTruthy();
    expect(await screen.findByTestId("about-db-path")).toHaveProperty("textContent", MOCK_APP_INFO.db_path);
    await user.click(screen.getByTestId("about-close"));
    await waitFor(() => expect(screen.queryByTestId("about-dialog")).toBeNull());
  });
});
