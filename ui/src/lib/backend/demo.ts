// The UI in a plain browser (`npm run dev:mock`): a clinic on the test host
// (the real backend, started by vite.config.ts in mock mode and reached through
// the dev server at /__testhost) with demo patients: several scripts, accents,
// a long name, archived records. Invented people.
import { useTransport } from "./index";
import { httpTransport, newClinic } from "./http";

export const DEMO_PATIENTS: Array<Record<string, unknown>> = [
  { first_name: "José", last_name: "García", date_of_birth: "1991-03-14", sex: "male", phone: "+34 612 345 678", email: "jose.garcia@example.es", preferred_language: "es", address: "Calle Mayor 12, 3º B\n28013 Madrid" },
  { first_name: "María José", last_name: "Fernández López", date_of_birth: "1988-11-02", sex: "female", phone: "+34 699 112 233", preferred_language: "es" },
  { first_name: "Zoë", last_name: "Müller", date_of_birth: "1996-07-21", sex: "female", phone: "+49 30 1234567", email: "zoe.mueller@example.de", preferred_language: "de" },
  // The same person registered twice without the accents (an admin can merge the two).
  { first_name: "Zoe", last_name: "Muller", date_of_birth: "1996-07-21", phone: "+49 151 7654321", address: "Torstraße 5\n10119 Berlin", preferred_language: "de" },
  { first_name: "François", last_name: "Dupont", date_of_birth: "1979-01-30", sex: "male", phone: "+33 6 12 34 56 78", preferred_language: "fr", notes: "Prefers morning appointments." },
  { first_name: "Siobhán", last_name: "O'Brien", date_of_birth: "1993-05-17", sex: "female", phone: "+353 87 123 4567", email: "siobhan.obrien@example.ie", preferred_language: "en" },
  { first_name: "Łukasz", last_name: "Kowalski", date_of_birth: "1985-09-09", sex: "male", phone: "+48 601 234 567", preferred_language: "pl" },
  { first_name: "Ayşe", last_name: "Yılmaz", date_of_birth: "1990-12-01", sex: "female", phone: "+90 532 123 45 67", preferred_language: "tr" },
  { first_name: "Γιώργος", last_name: "Παπαδόπουλος", date_of_birth: "1982-04-25", sex: "male", phone: "+30 691 234 5678", preferred_language: "el" },
  { first_name: "Анна", last_name: "Иванова", date_of_birth: "1998-02-14", sex: "female", phone: "+7 912 345-67-89", preferred_language: "ru" },
  { first_name: "أحمد", last_name: "الخطيب", date_of_birth: "1987-06-03", sex: "male", phone: "+971 50 123 4567", preferred_language: "ar", address: "شارع الشيخ زايد، دبي" },
  { first_name: "فاطمة", last_name: "الزهراء", date_of_birth: "1995-08-19", sex: "female", phone: "+20 100 123 4567", preferred_language: "ar" },
  { first_name: "נועה", last_name: "כהן", date_of_birth: "1992-10-10", sex: "female", phone: "+972 52 123 4567", preferred_language: "he" },
  { first_name: "小明", last_name: "王", date_of_birth: "1994-03-08", sex: "male", phone: "+86 138 0013 8000", preferred_language: "zh" },
  { first_name: "花子", last_name: "佐藤", date_of_birth: "1989-07-07", sex: "female", phone: "+81 90 1234 5678", preferred_language: "ja" },
  { first_name: "민준", last_name: "김", date_of_birth: "1997-01-22", sex: "male", phone: "+82 10 1234 5678", preferred_language: "ko" },
  { first_name: "प्रिया", last_name: "शर्मा", date_of_birth: "1993-11-30", sex: "female", phone: "+91 98765 43210", preferred_language: "hi" },
  { first_name: "Emma", last_name: "Smith", date_of_birth: "2001-05-05", sex: "female", phone: "020 7946 0958", email: "emma.smith@example.co.uk", preferred_language: "en", notes: "Referred by Dr Patel.\nMild rolling scars on both cheeks." },
  { first_name: "Oliver", last_name: "Jones", date_of_birth: "1984-08-16", sex: "male", phone: "07700 900123", preferred_language: "en" },
  { first_name: "Amelia", last_name: "Taylor", date_of_birth: "1999-12-24", sex: "female", phone: "07700 900456", preferred_language: "en" },
  { first_name: "Noah", last_name: "Brown", date_of_birth: "1976-03-03", phone: "07700 900789", preferred_language: "en" },
  { first_name: "Chloé", last_name: "Lefèvre", date_of_birth: "1990-06-12", sex: "female", phone: "+33 7 98 76 54 32", preferred_language: "fr" },
  { first_name: "Giulia", last_name: "Rossi", date_of_birth: "1986-02-28", sex: "female", phone: "+39 347 123 4567", preferred_language: "it" },
  { first_name: "João", last_name: "Gonçalves", date_of_birth: "1981-10-05", sex: "male", phone: "+351 912 345 678", preferred_language: "pt" },
  { first_name: "Sanne", last_name: "de Vries", date_of_birth: "1994-04-04", sex: "female", phone: "+31 6 12345678", preferred_language: "nl" },
  { first_name: "Björn", last_name: "Åström", date_of_birth: "1978-09-18", sex: "male", phone: "+46 70 123 45 67", preferred_language: "en" },
  { first_name: "Nguyễn", last_name: "Thị Hương", date_of_birth: "1996-01-15", sex: "female", phone: "+84 912 345 678", preferred_language: "en" },
  { first_name: "Kwame", last_name: "Mensah", date_of_birth: "1983-07-29", sex: "male", phone: "+233 24 123 4567", preferred_language: "en" },
  { first_name: "Aroha", last_name: "Ngata", date_of_birth: "2000-03-19", sex: "other", phone: "+64 21 123 4567", preferred_language: "en" },
  { first_name: "Lucía", last_name: "Martínez", date_of_birth: "1997-05-23", sex: "female", phone: "+52 55 1234 5678", preferred_language: "es" },
  { first_name: "Mateo", last_name: "Hernández", date_of_birth: "1992-08-08", sex: "male", phone: "+54 9 11 1234 5678", preferred_language: "es" },
  { first_name: "Sofía", last_name: "Núñez", date_of_birth: "2002-02-02", sex: "female", phone: "+56 9 8765 4321", preferred_language: "es" },
  { first_name: "Mia 🌸", last_name: "Park", date_of_birth: "1999-09-09", sex: "female", phone: "+1 415 555 0134", preferred_language: "ko" },
  { first_name: "Hannah", last_name: "Schmidt", date_of_birth: "1991-12-12", sex: "female", phone: "+49 151 2345 6789", preferred_language: "de" },
  { first_name: "Wolfeschlegelsteinhausen", last_name: "Bergerdorff-Vandermeulen-Montgomery-Fairweather", date_of_birth: "1980-01-01", sex: "male", phone: "+44 20 7946 0001", preferred_language: "en", notes: "Long name: check it wraps on printed documents." },
  { first_name: "Camille", last_name: "Moreau", date_of_birth: "1987-04-11", sex: "female", phone: "+33 6 55 44 33 22", preferred_language: "fr" },
  { first_name: "Daniel", last_name: "Cohen", date_of_birth: "1975-11-11", sex: "male", phone: "+1 212 555 0199", preferred_language: "he" },
  { first_name: "Ravi", last_name: "Patel", date_of_birth: "1989-03-27", sex: "male", phone: "+44 7700 900321", preferred_language: "hi" },
  { first_name: "Eleni", last_name: "Georgiou", date_of_birth: "1993-06-30", sex: "female", phone: "+357 99 123456", preferred_language: "el", archived: true, notes: "Moved abroad; archived." },
  { first_name: "Thomas", last_name: "Weber", date_of_birth: "1970-10-20", sex: "male", phone: "+49 170 9876543", preferred_language: "de", archived: true },
  { first_name: "Isabella", last_name: "Ricci", date_of_birth: "1995-05-15", sex: "female", phone: "+39 333 765 4321", preferred_language: "it", archived: true },
];

/** Where the dev server forwards the test host (vite.config.ts). */
export const DEMO_HOST = "/__testhost";

/**
 * Makes a demo clinic on the test host and routes the UI's commands to it.
 * `state`: "first-run" (no clinic yet), "signed-out" (sign in as admin,
 * "correct horse battery"), "receptionist" (signed in as the receptionist), or
 * anything else (signed in as admin). The first patients get screenings,
 * assessments and plans around today (the clinic's own demo generator).
 */
export async function startDemoBackend(state: string | null): Promise<void> {
  const base = new URL(DEMO_HOST, window.location.href).toString().replace(/\/$/, "");
  const firstRun = state === "first-run";
  const clinic = await newClinic(base, {
    needs_setup: firstRun,
    signed_in_as: state === "signed-out" || firstRun ? undefined : state === "receptionist" ? "receptionist" : "admin",
    patients: firstRun ? [] : DEMO_PATIENTS,
    clinical_demo: !firstRun,
  });
  useTransport(httpTransport(base, clinic));
}
