// The UI's one door to the backend (lib/backend/index.ts and http.ts), tested
// against the real backend on the test host: what a failed command rejects
// with, the `locked` listener, raw bytes for BYTE_COMMANDS, unknown commands.
import { describe, expect, test } from "vitest";
import { asApiError, call, logoBlob, onAppLocked, type Command } from "../lib/backend";
import { BYTE_COMMANDS } from "../lib/bindings/commands";
import { writeHostFile } from "./fixtures-app";
import { ADMIN, startBackend } from "./helpers";

const LOCKED = "Dermis is locked. Enter your password to continue.";
/** A 1×1 PNG. */
const PNG = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="),
  (c) => c.charCodeAt(0),
);

describe("asApiError", () => {
  test("keeps a backend error object as it is", () => {
    const e = { code: "validation", message: "Enter the first name.", field: "first_name", fields: [{ field: "first_name", message: "Enter the first name." }] };
    expect(asApiError(e)).toEqual(e);
  });

  test("turns a string rejection into an internal error", () => {
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

describe("call, over HTTP to the test host", () => {
  test("a failed command rejects with the backend's ApiError", async () => {
    await startBackend();
    await expect(call("login", { input: { username: "admin", password: "nope" } })).rejects.toEqual({
      code: "forbidden",
      message: "That user name and password do not match. Check them and try again.",
      field: null,
      fields: [],
    });
  });

  test("patient commands need a signed-in user", async () => {
    await startBackend();
    const search = { query: "", include_archived: false, offset: 0, limit: 50 };
    await expect(call("search_patients", { search })).rejects.toEqual({
      code: "forbidden",
      message: "You are signed out. Sign in to continue.",
      field: null,
      fields: [],
    });
    await call("login", { input: { username: ADMIN.username, password: ADMIN.password } });
    await expect(call("search_patients", { search })).resolves.toEqual({ items: [], offset: 0, has_more: false });
  });

  test("the backend reports every bad field in form order; `field` is the first", async () => {
    await startBackend({ signed_in_as: "admin", today: "2026-03-01" });
    const error = await call("create_patient", {
      input: {
        first_name: " ",
        last_name: "x".repeat(101),
        date_of_birth: "2026-03-02",
        sex: null,
        phone: "12ab",
        email: "nope",
        address: "",
        preferred_language: "",
        notes: "",
      },
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

  test("an unknown command is refused with a sentence, not a crash", async () => {
    await startBackend({ signed_in_as: "admin" });
    const error = await call("no_such_command" as Command, {} as never).catch((e: unknown) => e);
    expect(error).toEqual({
      code: "not_found",
      message: 'Dermis has no command called "no_such_command"; the screen and the program may be of different versions.',
      field: null,
      fields: [],
    });
  });

  test("arguments the command does not take are refused as an internal error that says what to do", async () => {
    await startBackend({ signed_in_as: "admin" });
    const error = (await call("get_patient", { patient: 1 } as never).catch((e: unknown) => e)) as { code: string; message: string };
    expect(error.code).toBe("internal");
    expect(error.message).toMatch(/^Dermis's screen sent the command get_patient something it does not understand/);
    expect(error.message).toMatch(/Restart Dermis/);
  });
});

describe("raw bytes (BYTE_COMMANDS)", () => {
  test("the logo comes back as the stored bytes, not JSON; no logo is zero bytes", async () => {
    expect([...BYTE_COMMANDS].sort()).toEqual(["logo_data", "photo_data"]);
    const backend = await startBackend({ signed_in_as: "admin" });
    const none = await call("logo_data");
    expect(none).toBeInstanceOf(ArrayBuffer);
    expect(none.byteLength).toBe(0);
    expect(await logoBlob()).toBeNull();

    const path = `${await backend.folder()}/logo.png`;
    await writeHostFile(path, PNG);
    await call("set_logo", { path });
    const bytes = await call("logo_data");
    expect(bytes).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(bytes)]).toEqual([...PNG]);
    const blob = await logoBlob();
    expect(blob?.type).toBe("image/png");
    expect(blob?.size).toBe(PNG.length);
  });

  test("a byte command that fails rejects with an ApiError like any other", async () => {
    await startBackend({ signed_in_as: "admin" });
    const error = await call("photo_data", { photo_id: 999, thumb: true }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "not_found", field: null, fields: [] });
    expect((error as { message: string }).message).not.toBe("");
  });
});

describe("the locked listener", () => {
  test("hears every command refused with `locked`, until stopped", async () => {
    await startBackend({ signed_in_as: "admin" });
    const heard: string[] = [];
    const stop = onAppLocked((message) => heard.push(message));
    await call("lock_app");
    await expect(call("today")).rejects.toMatchObject({ code: "locked", message: LOCKED });
    expect(heard).toEqual([LOCKED]);
    // Other refusals are not a lock.
    await expect(call("no_such_command" as Command, {} as never)).rejects.toMatchObject({ code: "not_found" });
    expect(heard).toEqual([LOCKED]);
    stop();
    await expect(call("today")).rejects.toMatchObject({ code: "locked" });
    expect(heard).toEqual([LOCKED]);
  });

  test("unlock_app's own refusals never reach it (the lock screen shows them itself)", async () => {
    await startBackend({ signed_in_as: "admin" });
    const heard: string[] = [];
    const stop = onAppLocked((message) => heard.push(message));
    await call("lock_app");
    const refusals: string[] = [];
    for (let i = 0; i < 6; i++) {
      refusals.push(((await call("unlock_app", { password: `wrong ${i}` }).catch((e: unknown) => e)) as { code: string }).code);
    }
    // Wrong passwords, then the rate limit, which answers `locked`.
    expect(refusals[0]).toBe("forbidden");
    expect(refusals.at(-1)).toBe("locked");
    expect(heard).toEqual([]);
    stop();
  });
});

describe("search folding, as the backend does it", () => {
  const PEOPLE = [
    { first_name: "José", last_name: "Ñúñez-García" },
    { first_name: "Otto", last_name: "Straße" },
    { first_name: "Seán", last_name: "O'Brien" },
    { first_name: "ΓΙΏΡΓΟΣ", last_name: "Παπαδόπουλος" },
    { first_name: "أَحْمَد", last_name: "الخطيب" },
    { first_name: "小明", last_name: "王" },
    { first_name: "민준", last_name: "김" },
  ];

  test("accents, case, punctuation, Greek tonos and Arabic vowel marks do not matter; CJK and Hangul are kept", async () => {
    await startBackend({ signed_in_as: "admin", patients: PEOPLE });
    const found = async (query: string) =>
      (await call("search_patients", { search: { query, include_archived: false, offset: 0, limit: 50 } })).items.map(
        (p) => p.first_name,
      );
    expect(await found("jose")).toEqual(["José"]);
    expect(await found("nunez garcia")).toEqual(["José"]);
    expect(await found("strasse")).toEqual(["Otto"]);
    expect(await found("obrien")).toEqual(["Seán"]);
    expect(await found("γιωργος")).toEqual(["ΓΙΏΡΓΟΣ"]);
    expect(await found("احمد")).toEqual(["أَحْمَد"]);
    expect(await found("小明")).toEqual(["小明"]);
    expect(await found("민준")).toEqual(["민준"]);
  });
});
