// Clinical data for the treatment tests (plan, sessions, screening, progress,
// photos), prepared through the real commands on the test host, never by
// poking state. Everything here is what a practitioner would record first;
// the assertions stay in the test files.
import type { Assessment } from "../lib/bindings/Assessment";
import type { AssessmentInput } from "../lib/bindings/AssessmentInput";
import type { Condition } from "../lib/bindings/Condition";
import type { Plan } from "../lib/bindings/Plan";
import type { PlanOverride } from "../lib/bindings/PlanOverride";
import type { Screening } from "../lib/bindings/Screening";
import type { SessionRecordInput } from "../lib/bindings/SessionRecordInput";
import { TODAY, type TestBackend } from "./helpers";

/** The id of the patient called `first last` (the first patient when no name is given). */
export async function patientId(backend: TestBackend, name?: string): Promise<number> {
  const page = await backend.call("search_patients", {
    search: { query: name ?? "", include_archived: true, offset: 0, limit: 100 },
  });
  const hit = name ? page.items.find((p) => `${p.first_name} ${p.last_name}` === name) : page.items[0];
  if (!hit) throw new Error(`no patient ${name ?? ""}`);
  return hit.id;
}

/**
 * Records a screening through the backend: Yes to `yes` (with `lastDates`
 * for washout rules), No to everything else.
 */
export async function screenPatient(
  backend: TestBackend,
  patient_id: number,
  yes: Condition[] = [],
  lastDates: Partial<Record<Condition, string>> = {},
  screened_on: string = TODAY,
): Promise<Screening> {
  const questions = await backend.call("screening_questions");
  return backend.call("record_screening", {
    patient_id,
    input: {
      screened_on,
      answers: questions.map((q) => ({
        condition: q.condition,
        present: yes.includes(q.condition),
        last_date: lastDates[q.condition] ?? null,
      })),
      notes: "",
    },
  });
}

/** A grade 3 assessment of normal skin (Fitzpatrick II, cheeks, scars 2 years old). */
export const GRADE_3_NORMAL: AssessmentInput = {
  assessed_on: TODAY,
  scar_types: ["rolling"],
  grade: 3,
  counts: { macular: 4, moderate: 12, severe: 0, papular: 0, keloidal: 0 },
  fitzpatrick: 2,
  sensitivity: "normal",
  treatment_areas: ["cheeks"],
  scar_age_years: 2,
  notes: "",
};

export async function assess(
  backend: TestBackend,
  patient_id: number,
  input: Partial<AssessmentInput> = {},
): Promise<Assessment> {
  return backend.call("record_assessment", { patient_id, input: { ...GRADE_3_NORMAL, ...input } });
}

/** Accepts the plan the engine proposes from `assessment_id` and `start` (an override when a reason is given). */
export async function acceptPlan(
  backend: TestBackend,
  patient_id: number,
  assessment_id: number,
  start: string = TODAY,
  reason = "",
): Promise<Plan> {
  const override: PlanOverride | null = reason ? { sessions: null, interval_weeks: null, reason } : null;
  await signConsent(backend, patient_id);
  return backend.call("accept_plan", { input: { patient_id, assessment_id, start, override } });
}

/** A session as the first one of a course is usually recorded. */
export const SESSION_ONE: SessionRecordInput = {
  date: TODAY,
  numbing_cream: "EMLA 5%",
  numbing_minutes: 30,
  device: "Dermapen 4",
  cartridge_lot: "CT-2291",
  skin: "thick",
  depths: [
    { zone: "cheeks_chin", depth_mm: "1.5" },
    { zone: "forehead", depth_mm: "0.5" },
  ],
  passes: 3,
  glide_product: "Hyaluronic glide",
  glide_lot: "HG-77",
  endpoint: "pinpoint_bleeding",
  immediate_reaction: "Even erythema",
  duration_minutes: 45,
  notes: "Tolerated well.",
  confirm_above_ceiling: false,
  screening_override_reason: "",
};

// ------------------------------------------------------------------ files on the host

/**
 * Node's file functions. Imported by a computed name: the app's tsconfig has
 * no Node types (the tests run under Node, the app does not).
 */
type HostFs = {
  writeFile(path: string, data: Uint8Array | string): Promise<void>;
  readFile(path: string, encoding: "utf8"): Promise<string>;
};
const FS_MODULE: string = "node:fs/promises";
const hostFs = (): Promise<HostFs> => import(/* @vite-ignore */ FS_MODULE) as Promise<HostFs>;

/** Writes `bytes` as `name` into the clinic's folder on the host; resolves to its path. */
export async function putFile(backend: TestBackend, name: string, bytes: Uint8Array | string): Promise<string> {
  const file = `${await backend.folder()}/${name}`;
  await (await hostFs()).writeFile(file, bytes);
  return file;
}

/** A text file the backend wrote (an export), as text. */
export async function readHostFile(path: string): Promise<string> {
  return (await hostFs()).readFile(path, "utf8");
}

/** Writes a tiny PNG (its own colour) into the clinic's folder; resolves to its path. */
export async function putPhoto(backend: TestBackend, name: string, rgb: [number, number, number]): Promise<string> {
  return putFile(backend, name, tinyPng(rgb));
}

// ------------------------------------------------------------------ image files

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const u32 = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

function pngChunk(type: string, data: number[]): number[] {
  const typed = [...type].map((c) => c.charCodeAt(0)).concat(data);
  return [...u32(data.length), ...typed, ...u32(crc32(Uint8Array.from(typed)))];
}

/** `raw` in the zlib format, as stored (uncompressed) deflate blocks. */
function zlibStored(raw: number[]): number[] {
  const out = [0x78, 0x01];
  for (let at = 0; at === 0 || at < raw.length; at += 0xffff) {
    const part = raw.slice(at, at + 0xffff);
    const last = at + 0xffff >= raw.length ? 1 : 0;
    out.push(last, part.length & 0xff, part.length >> 8, ~part.length & 0xff, (~part.length >> 8) & 0xff, ...part);
  }
  let a = 1;
  let b = 0;
  for (const x of raw) {
    a = (a + x) % 65521;
    b = (b + a) % 65521;
  }
  return out.concat(u32(((b << 16) | a) >>> 0));
}

/**
 * A small real PNG (RGB, `width` × `height`, filled with one colour). Give
 * each file its own colour: the clinic stores photos by their SHA-256, so
 * identical pictures would share one file.
 */
export function tinyPng(rgb: [number, number, number], width = 8, height = 6): Uint8Array {
  const header = [...u32(width), ...u32(height), 8, 2, 0, 0, 0]; // 8-bit truecolour
  const row = [0, ...Array.from({ length: width }, () => rgb).flat()]; // filter byte 0, then pixels
  const raw = Array.from({ length: height }, () => row).flat();
  return Uint8Array.from([
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a,
    ...pngChunk("IHDR", header),
    ...pngChunk("IDAT", zlibStored(raw)),
    ...pngChunk("IEND", []),
  ]);
}

/**
 * A small real JPEG: an 8 × 8 grey square of brightness `gray` (0–255), one
 * baseline block whose only coefficient is the DC one (quantizer 1, a
 * one-code Huffman table for that DC category and one for end-of-block).
 */
export function tinyJpeg(gray: number): Uint8Array {
  const diff = 8 * (Math.round(gray) - 128);
  const category = diff === 0 ? 0 : Math.floor(Math.log2(Math.abs(diff))) + 1;
  const value = diff >= 0 ? diff : diff + (1 << category) - 1;
  let bits = "0" + (category ? value.toString(2).padStart(category, "0") : "") + "0";
  while (bits.length % 8) bits += "1";
  const scan: number[] = [];
  for (let i = 0; i < bits.length; i += 8) {
    const b = parseInt(bits.slice(i, i + 8), 2);
    scan.push(b);
    if (b === 0xff) scan.push(0); // byte stuffing
  }
  const segment = (marker: number, body: number[]) => [0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body];
  const huffman = (tableClass: number, symbol: number) => [tableClass, 1, ...Array(15).fill(0), symbol];
  return Uint8Array.from([
    0xff, 0xd8, // start of image
    ...segment(0xdb, [0, ...Array(64).fill(1)]), // quantization: all 1
    ...segment(0xc0, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]), // baseline, 8 × 8, one component
    ...segment(0xc4, huffman(0x00, category)), // DC table
    ...segment(0xc4, huffman(0x10, 0x00)), // AC table: end-of-block only
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]), // start of scan
    ...scan,
    0xff, 0xd9, // end of image
  ]);
}

/** A signature drawn as two strokes in the 400 × 150 box. */
export const SIGNATURE: [number, number][][] = [
  [
    [20, 100],
    [60, 40],
    [100, 110],
    [140, 30],
  ],
  [
    [200, 75],
    [380, 75],
  ],
];

/** The patient signs the microneedling consent and the signed-in practitioner confirms it (the session gate then passes). */
export async function signConsent(backend: TestBackend, patient_id: number) {
  return backend.call("sign_consent", {
    input: {
      patient_id,
      template: "microneedling",
      template_version: null,
      signature: { strokes: SIGNATURE },
      typed_name: "",
      photo_uses: { record: true, teaching: false, marketing: false },
      confirm: true,
    },
  });
}
