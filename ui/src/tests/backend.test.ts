import { describe, expect, test } from "vitest";
import { asApiError, createPatient, login, searchPatients } from "../lib/backend";
import { fold } from "../lib/backend/fold";
import { MOCK_ADMIN, installMockBackend } from "../lib/backend/mock";

describe("asApiError", () => {
  test("keeps a backend error object as it is", () => {
    const e = { code: "validation", message: "Enter the first name.", field: "first_name", fields: [{ field: "first_name", message: "Enter the first name." }] };
    expect(asApiError(e)).toEqual(e);
  });

  test("turns a string rejection (e.g. an unknown command) into an internal error", () => {
    expect(asApiError("Command nope not found")).toEqual({
      code: "internal",
      message: "Command nope not found",
      field: null,
      fields: [],
    });
  });

  test("turns an Error into an internal error with its message", () => {
    expect(asApiError(new TypeError("window.__TAURI_INTERNALS__ is undefined"))).toMatchObject({
      code: "internal",
      message: "window.__TAURI_INTERNALS__ is undefined",
    });
  });

  test("fills what a partial error object leaves out", () => {
    expect(asApiError({ code: "weird", message: "Disk full", fields: [{ field: "x", message: "bad" }, 3] })).toEqual({
      code: "internal",
      message: "Disk full",
      field: "x",
      fields: [{ field: "x", message: "bad" }],
    });
    expect(asApiError(undefined).message).toMatch(/Something went wrong/);
  });
});

describe("backend functions against the mock", () => {
  test("a failed command rejects with an ApiError", async () => {
    installMockBackend();
    await expect(login({ username: "admin", password: "nope" })).rejects.toEqual({
      code: "forbidden",
      message: "The user name or password is not right.",
      field: null,
      fields: [],
    });
  });

  test("patient commands need a signed-in user", async () => {
    installMockBackend();
    await expect(searchPatients({ query: "", include_archived: false, offset: 0, limit: 50 })).rejects.toMatchObject({
      code: "forbidden",
    });
    await login({ username: MOCK_ADMIN.username, password: MOCK_ADMIN.password });
    await expect(searchPatients({ query: "", include_archived: false, offset: 0, limit: 50 })).resolves.toEqual({
      items: [],
      offset: 0,
      has_more: false,
    });
  });

  test("the mock reports every bad field in form order, like the backend", async () => {
    installMockBackend({ signedIn: true, today: "2026-03-01" });
    const error = await createPatient({
      first_name: " ",
      last_name: "x".repeat(101),
      date_of_birth: "2026-03-02",
      sex: null,
      phone: "12ab",
      email: "nope",
      address: "",
      preferred_language: "",
      notes: "",
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "validation", field: "first_name", message: "Enter the first name." });
    expect((error as { fields: { field: string }[] }).fields.map((f) => f.field)).toEqual([
      "first_name",
      "last_name",
      "date_of_birth",
      "phone",
      "email",
    ]);
  });
});

describe("search folding", () => {
  test("matches the backend's folding", () => {
    expect(fold("José")).toBe("jose");
    expect(fold("Ñúñez-García")).toBe("nunez garcia");
    expect(fold("Straße")).toBe("strasse");
    expect(fold("O'Brien")).toBe("obrien");
    expect(fold("ΓΙΏΡΓΟΣ")).toBe(fold("γιωργος"));
    expect(fold("أَحْمَد")).toBe("احمد");
    expect(fold("王小明")).toBe("王小明");
    expect(fold("김민준")).toBe("김민준");
  });
});
