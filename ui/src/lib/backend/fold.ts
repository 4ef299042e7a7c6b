// Search folding, mirroring dermis-core's fold.rs, so the mock backend finds
// what the real one finds ("jose" finds "José", "muller" finds "MÜLLER").

const MAPPED: Record<string, string> = {
  "ß": "ss",
  "æ": "ae",
  "œ": "oe",
  "ø": "o",
  "đ": "d",
  "ð": "d",
  "ł": "l",
  "þ": "th",
  "ı": "i",
  "ς": "σ",
  "'": "",
  "\u2019": "",
  "\u02bc": "",
  "`": "",
  "\u00b4": "",
  "\u02bb": "",
  "\u0640": "",
};

const ALNUM = /^[\p{L}\p{N}]$/u;

/** NFKD, drop combining marks, lower-case, map a few letters, collapse the rest to single spaces. */
export function fold(s: string): string {
  const stripped = s.normalize("NFKD").replace(/\p{M}/gu, "").normalize("NFC").toLowerCase();
  let out = "";
  let pendingSpace = false;
  for (const c of stripped) {
    const mapped = MAPPED[c];
    if (mapped !== undefined) {
      if (mapped !== "") {
        if (pendingSpace && out !== "") out += " ";
        pendingSpace = false;
        out += mapped;
      }
      continue;
    }
    if (ALNUM.test(c)) {
      if (pendingSpace && out !== "") out += " ";
      pendingSpace = false;
      out += c;
    } else {
      pendingSpace = true;
    }
  }
  return out;
}

export function foldWords(s: string): string[] {
  return fold(s)
    .split(" ")
    .filter((w) => w !== "");
}

const DIGIT_ZEROS = [0x30, 0xff10, 0x660, 0x6f0, 0x966];

/** The decimal digits of `s` as ASCII (fullwidth, Arabic-Indic, Persian and Devanagari digits count). */
export function digits(s: string): string {
  let out = "";
  for (const c of s) {
    const cp = c.codePointAt(0) ?? 0;
    for (const zero of DIGIT_ZEROS) {
      if (cp >= zero && cp <= zero + 9) {
        out += String(cp - zero);
        break;
      }
    }
  }
  return out;
}
