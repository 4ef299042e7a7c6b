// The only module (with http.ts and app.ts) that talks to the backend. One
// typed `call` over the command map generated from the Rust command table
// (../bindings/commands.ts): no rules, no sentences, no per-command code here.
// Two transports: Tauri's IPC in the app, HTTP to the test host in the UI
// tests and in a plain browser (`npm run dev:mock`).
import { invoke } from "@tauri-apps/api/core";
import { getCurrentWebview } from "@tauri-apps/api/webview";
import { open as openDialog, save as saveDialog } from "@tauri-apps/plugin-dialog";
import type { ApiError } from "../bindings/ApiError";
import type { ErrorCode } from "../bindings/ErrorCode";
import type { FieldError } from "../bindings/FieldError";
import type { FreeSlot } from "../bindings/FreeSlot";
import type { Photo } from "../bindings/Photo";
import { BYTE_COMMANDS, type Commands } from "../bindings/commands";

export type { Commands };
/** A command's name. */
export type Command = keyof Commands;
/** A command's arguments. */
export type ArgsOf<K extends Command> = Commands[K]["args"];
/** What a command answers. */
export type ReplyOf<K extends Command> = Commands[K]["reply"];
/** The document print_document and save_document answer. */
export type { PrintedDocument } from "../bindings/PrintedDocument";

const ERROR_CODES: readonly ErrorCode[] = [
  "validation",
  "not_found",
  "forbidden",
  "conflict",
  "locked",
  "io",
  "unavailable",
  "internal",
];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null;
}

function asFieldErrors(v: unknown): FieldError[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((f) =>
    isRecord(f) && typeof f.field === "string" && typeof f.message === "string"
      ? [{ field: f.field, message: f.message }]
      : [],
  );
}

/** A refused booking's next free slot, when the error carries a well-formed one. */
function asFreeSlot(v: unknown): FreeSlot | undefined {
  if (
    isRecord(v) &&
    typeof v.date === "string" &&
    typeof v.time === "string" &&
    typeof v.minutes === "number" &&
    typeof v.practitioner_id === "number" &&
    typeof v.practitioner_name === "string" &&
    typeof v.room_id === "number" &&
    typeof v.room_name === "string"
  ) {
    const { date, time, minutes, practitioner_id, practitioner_name, room_id, room_name } = v;
    return { date, time, minutes, practitioner_id, practitioner_name, room_id, room_name };
  }
  return undefined;
}

/** Turns whatever a failed call rejected with into an ApiError. */
export function asApiError(e: unknown): ApiError {
  if (isRecord(e) && typeof e.message === "string" && typeof e.code === "string") {
    const code = (ERROR_CODES as readonly string[]).includes(e.code) ? (e.code as ErrorCode) : "internal";
    const fields = asFieldErrors(e.fields);
    const field = typeof e.field === "string" ? e.field : (fields[0]?.field ?? null);
    const slot = asFreeSlot(e.slot);
    return slot ? { code, message: e.message, field, fields, slot } : { code, message: e.message, field, fields };
  }
  if (typeof e === "string" && e.trim() !== "") {
    return { code: "internal", message: e, field: null, fields: [] };
  }
  if (e instanceof Error && e.message) {
    return { code: "internal", message: e.message, field: null, fields: [] };
  }
  return { code: "internal", message: "Something went wrong. Please try again.", field: null, fields: [] };
}

/**
 * How a command reaches the backend: its name and arguments in, the answer
 * out (JSON already parsed, or an ArrayBuffer for BYTE_COMMANDS).
 */
export type Transport = (command: string, args: Record<string, unknown>) => Promise<unknown>;

let transport: Transport | null = null;

/** Routes every command through `t` (the test host); null: back to Tauri. */
export function useTransport(t: Transport | null): void {
  transport = t;
}

function tauriReady(): boolean {
  if (typeof window === "undefined") return false;
  const internals = (window as unknown as { __TAURI_INTERNALS__?: { invoke?: unknown } }).__TAURI_INTERNALS__;
  return typeof internals?.invoke === "function";
}

/** True when there is a backend to talk to (the app, or the test host). */
export function backendAvailable(): boolean {
  return transport !== null || tauriReady();
}

function asBytes(raw: unknown): Uint8Array {
  if (raw instanceof ArrayBuffer) return new Uint8Array(raw);
  if (raw instanceof Uint8Array) return raw;
  if (Array.isArray(raw)) return new Uint8Array(raw as number[]);
  return new Uint8Array();
}

/** The app's transport: the one Tauri command `call`, answered raw. */
const tauriTransport: Transport = async (command, args) => {
  const bytes = asBytes(await invoke("call", { command, args }));
  if (BYTE_COMMANDS.has(command)) return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return JSON.parse(new TextDecoder().decode(bytes));
};

const lockedListeners = new Set<(message: string) => void>();

/**
 * Calls `handler` whenever a command fails because the app is locked (code
 * `locked`, e.g. it was locked elsewhere). Returns a function that stops it.
 */
export function onAppLocked(handler: (message: string) => void): () => void {
  lockedListeners.add(handler);
  return () => void lockedListeners.delete(handler);
}

type ArgList<K extends Command> = Record<string, never> extends ArgsOf<K> ? [args?: ArgsOf<K>] : [args: ArgsOf<K>];

/** Runs one command of the contract; rejects with an ApiError. */
export async function call<K extends Command>(command: K, ...rest: ArgList<K>): Promise<ReplyOf<K>> {
  const args = (rest[0] ?? {}) as Record<string, unknown>;
  try {
    return (await (transport ?? tauriTransport)(command, args)) as ReplyOf<K>;
  } catch (e) {
    const err = asApiError(e);
    // unlock_app answers `locked` after too many wrong passwords: the lock screen shows that itself.
    if (err.code === "locked" && command !== "unlock_app") for (const f of lockedListeners) f(err.message);
    throw err;
  }
}

/** A photo's pixels (a JPEG thumbnail, or the stored image at full size) as a Blob. */
export async function photoBlob(photo: Pick<Photo, "id" | "mime">, thumb: boolean): Promise<Blob> {
  const data = await call("photo_data", { photo_id: photo.id, thumb });
  return new Blob([asBytes(data) as BlobPart], { type: thumb ? "image/jpeg" : photo.mime });
}

/** The logo as a Blob, or null when the clinic has none. */
export async function logoBlob(): Promise<Blob | null> {
  const bytes = asBytes(await call("logo_data"));
  if (bytes.byteLength === 0) return null;
  const type = bytes[0] === 0xff && bytes[1] === 0xd8 ? "image/jpeg" : "image/png";
  return new Blob([bytes as BlobPart], { type });
}

// ------------------------------------------------------------------ file dialogs, drag-and-drop

/** The system's open and save dialogs (tests put stubs here with useDialogs). */
export type Dialogs = {
  open: typeof openDialog;
  save: typeof saveDialog;
};

let dialogs: Dialogs = { open: openDialog, save: saveDialog };

/** Replaces the file dialogs (tests: what the person "picks"); null: the system's. */
export function useDialogs(d: Dialogs | null): void {
  dialogs = d ?? { open: openDialog, save: saveDialog };
}

/** A file type for the open and save dialogs. */
export type FileFilter = { name: string; extensions: string[] };

/** Asks for a folder; resolves to its path, or null when cancelled. */
export async function chooseFolder(title = "Choose a folder"): Promise<string | null> {
  try {
    const picked = await dialogs.open({ directory: true, multiple: false, title });
    if (picked === null) return null;
    return Array.isArray(picked) ? (picked[0] ?? null) : picked;
  } catch (e) {
    throw asApiError(e);
  }
}

/** Asks for one file of the given types; resolves to its path, or null when cancelled. */
export async function chooseFile(filters: FileFilter[], title = "Choose a file"): Promise<string | null> {
  try {
    const picked = await dialogs.open({ directory: false, multiple: false, title, filters });
    if (picked === null) return null;
    return Array.isArray(picked) ? (picked[0] ?? null) : picked;
  } catch (e) {
    throw asApiError(e);
  }
}

/** Asks where to save a file; resolves to the path, or null when cancelled. */
export async function saveFile(defaultName: string, filters: FileFilter[], title = "Save as"): Promise<string | null> {
  try {
    return await dialogs.save({ title, defaultPath: defaultName, filters });
  } catch (e) {
    throw asApiError(e);
  }
}

/** The photo file types the import accepts (HEIC is refused by the backend with advice). */
export const PHOTO_EXTENSIONS = ["jpg", "jpeg", "png", "heic"] as const;

/** Asks for photo files to import; resolves to their paths ([] when cancelled). */
export async function choosePhotoFiles(): Promise<string[]> {
  try {
    const picked = await dialogs.open({
      multiple: true,
      directory: false,
      title: "Import photos",
      filters: [{ name: "Images", extensions: [...PHOTO_EXTENSIONS] }],
    });
    if (picked === null) return [];
    return Array.isArray(picked) ? picked : [picked];
  } catch (e) {
    throw asApiError(e);
  }
}

/** Asks where to save a CSV file; resolves to the path, or null when cancelled. */
export async function chooseCsvDestination(defaultName: string): Promise<string | null> {
  try {
    return await dialogs.save({
      title: "Export as CSV",
      defaultPath: defaultName,
      filters: [{ name: "CSV (spreadsheet)", extensions: ["csv"] }],
    });
  } catch (e) {
    throw asApiError(e);
  }
}

/** What a drag over the window is doing: files over it, dropped (with their paths), or gone. */
export type FileDrag = { type: "over" } | { type: "drop"; paths: string[] } | { type: "leave" };

/**
 * Calls `handler` while files are dragged over and dropped onto the window.
 * Resolves to a function that stops listening (a no-op where the window
 * cannot report drops, e.g. in a plain browser).
 */
export async function onFileDrop(handler: (drag: FileDrag) => void): Promise<() => void> {
  try {
    const unlisten = await getCurrentWebview().onDragDropEvent((event) => {
      const p = event.payload;
      if (p.type === "drop") handler({ type: "drop", paths: p.paths });
      else if (p.type === "leave") handler({ type: "leave" });
      else handler({ type: "over" });
    });
    return () => {
      unlisten();
    };
  } catch {
    return () => {};
  }
}
