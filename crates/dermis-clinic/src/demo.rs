//! Generated, varied, realistic-looking demo patients in many scripts. Every
//! name is a combination of common given and family names; none is a real
//! patient. The same seed gives the same patients.

use chrono::{Duration, NaiveDate};
use dermis_core::ids;
use dermis_core::{PatientInput, Sex};
use ids::PatientId;

/// splitmix64: small, fast, good enough to vary demo data, and reproducible.
pub struct DemoRng(u64);

impl DemoRng {
    pub fn new(seed: u64) -> Self {
        DemoRng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
}

struct Locale {
    lang: &'static str,
    weight: usize,
    female: &'static [&'static str],
    male: &'static [&'static str],
    family: &'static [&'static str],
    phone_prefix: &'static str,
    streets: &'static [&'static str],
    city: &'static str,
}

const LOCALES: &[Locale] = &[
    Locale {
        lang: "en",
        weight: 30,
        female: &[
            "Olivia", "Emma", "Amelia", "Sophie", "Grace", "Chloe", "Emily", "Hannah", "Jessica",
            "Lucy", "Megan", "Zoe",
        ],
        male: &[
            "Oliver", "Jack", "Harry", "George", "Noah", "James", "Thomas", "Daniel", "Samuel",
            "Joseph", "Liam", "Ethan",
        ],
        family: &[
            "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
            "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green",
            "Hall", "O'Brien", "Clarke", "Hughes",
        ],
        phone_prefix: "+44 7",
        streets: &[
            "High Street",
            "Station Road",
            "Church Lane",
            "Victoria Road",
            "Park Avenue",
        ],
        city: "London",
    },
    Locale {
        lang: "es",
        weight: 12,
        female: &[
            "María",
            "Lucía",
            "Sofía",
            "Martina",
            "Paula",
            "Valentina",
            "Inés",
            "Ana",
            "Carmen",
            "Begoña",
        ],
        male: &[
            "José", "Hugo", "Martín", "Pablo", "Álvaro", "Adrián", "Javier", "Sergio", "Iñaki",
            "Andrés",
        ],
        family: &[
            "García",
            "Fernández",
            "González",
            "Rodríguez",
            "López",
            "Martínez",
            "Sánchez",
            "Pérez",
            "Gómez",
            "Núñez",
            "Jiménez",
            "Muñoz",
            "Álvarez",
            "Peña",
        ],
        phone_prefix: "+34 6",
        streets: &[
            "Calle Mayor",
            "Avenida de la Constitución",
            "Calle del Sol",
            "Plaza de España",
        ],
        city: "Madrid",
    },
    Locale {
        lang: "fr",
        weight: 8,
        female: &[
            "Chloé", "Léa", "Manon", "Camille", "Inès", "Zoé", "Élodie", "Océane", "Anaïs",
            "Hélène",
        ],
        male: &[
            "Lucas",
            "Théo",
            "Hugo",
            "Louis",
            "Gabriel",
            "Jérôme",
            "François",
            "Benoît",
            "Raphaël",
            "Noël",
        ],
        family: &[
            "Martin",
            "Bernard",
            "Dubois",
            "Lefèvre",
            "Moreau",
            "Laurent",
            "Girard",
            "Roux",
            "Fontaine",
            "Chevalier",
            "Gauthier",
            "Bélanger",
        ],
        phone_prefix: "+33 6",
        streets: &[
            "Rue de la Paix",
            "Avenue Victor Hugo",
            "Rue Pasteur",
            "Boulevard Voltaire",
        ],
        city: "Lyon",
    },
    Locale {
        lang: "de",
        weight: 8,
        female: &[
            "Anna",
            "Lena",
            "Jördis",
            "Sophie",
            "Marie",
            "Katharina",
            "Lotte",
            "Lea",
            "Johanna",
            "Frauke",
        ],
        male: &[
            "Lukas",
            "Jonas",
            "Maximilian",
            "Felix",
            "Jörg",
            "Björn",
            "Matthias",
            "Stefan",
            "Tobias",
            "Günther",
        ],
        family: &[
            "Müller",
            "Schmidt",
            "Schneider",
            "Fischer",
            "Weiß",
            "Meyer",
            "Wagner",
            "Becker",
            "Schäfer",
            "Köhler",
            "Groß",
            "Hoffmann",
            "Krüger",
            "Schröder",
        ],
        phone_prefix: "+49 151",
        streets: &["Hauptstraße", "Schulstraße", "Gartenweg", "Bahnhofstraße"],
        city: "München",
    },
    Locale {
        lang: "pt",
        weight: 5,
        female: &["Beatriz", "Leonor", "Inês", "Mariana", "Conceição", "Luísa"],
        male: &["João", "Tomás", "Gonçalo", "Rodrigo", "Simão", "Sebastião"],
        family: &[
            "Silva",
            "Santos",
            "Ferreira",
            "Pereira",
            "Gonçalves",
            "Conceição",
            "Magalhães",
            "Araújo",
        ],
        phone_prefix: "+351 91",
        streets: &["Rua Augusta", "Avenida da Liberdade", "Rua do Carmo"],
        city: "Lisboa",
    },
    Locale {
        lang: "pl",
        weight: 4,
        female: &["Zofia", "Małgorzata", "Agnieszka", "Katarzyna", "Joanna"],
        male: &["Łukasz", "Paweł", "Michał", "Krzysztof", "Wojciech"],
        family: &[
            "Nowak",
            "Kowalski",
            "Wiśniewski",
            "Wójcik",
            "Kamiński",
            "Lewandowski",
            "Zieliński",
            "Szymański",
        ],
        phone_prefix: "+48 5",
        streets: &["ul. Marszałkowska", "ul. Długa", "ul. Kwiatowa"],
        city: "Kraków",
    },
    Locale {
        lang: "el",
        weight: 4,
        female: &[
            "Μαρία",
            "Ελένη",
            "Αικατερίνη",
            "Βασιλική",
            "Σοφία",
            "Γεωργία",
        ],
        male: &[
            "Γιώργος",
            "Κωνσταντίνος",
            "Δημήτρης",
            "Νίκος",
            "Παναγιώτης",
            "Χρήστος",
        ],
        family: &[
            "Παπαδόπουλος",
            "Βασιλείου",
            "Νικολάου",
            "Γεωργίου",
            "Οικονόμου",
            "Καραγιάννης",
            "Αντωνίου",
        ],
        phone_prefix: "+30 69",
        streets: &["Οδός Ερμού", "Λεωφόρος Συγγρού", "Οδός Αθηνάς"],
        city: "Αθήνα",
    },
    Locale {
        lang: "ru",
        weight: 5,
        female: &[
            "Анна",
            "Мария",
            "Елена",
            "Ольга",
            "Татьяна",
            "Наталья",
            "Алёна",
        ],
        male: &[
            "Александр",
            "Дмитрий",
            "Сергей",
            "Андрей",
            "Алексей",
            "Иван",
            "Фёдор",
        ],
        family: &[
            "Иванов",
            "Смирнов",
            "Кузнецов",
            "Попов",
            "Васильев",
            "Петров",
            "Соколов",
            "Михайлов",
            "Фёдоров",
        ],
        phone_prefix: "+7 9",
        streets: &["ул. Ленина", "пр. Мира", "ул. Садовая"],
        city: "Москва",
    },
    Locale {
        lang: "ar",
        weight: 5,
        female: &["فاطمة", "مريم", "نور", "ليلى", "سارة", "آمنة", "زينب"],
        male: &["محمد", "أحمد", "علي", "عمر", "يوسف", "خالد", "إبراهيم"],
        family: &[
            "الحسن",
            "العلي",
            "المنصور",
            "الخطيب",
            "حداد",
            "النجار",
            "السعدي",
        ],
        phone_prefix: "+971 50",
        streets: &["شارع الملك فهد", "شارع الاستقلال", "شارع النيل"],
        city: "دبي",
    },
    Locale {
        lang: "he",
        weight: 3,
        female: &["נועה", "תמר", "מיכל", "שירה", "יעל"],
        male: &["דוד", "יוסף", "משה", "אברהם", "נועם"],
        family: &["כהן", "לוי", "מזרחי", "פרץ", "ביטון", "אברהם"],
        phone_prefix: "+972 52",
        streets: &["רחוב הרצל", "שדרות רוטשילד", "רחוב יפו"],
        city: "תל אביב",
    },
    Locale {
        lang: "zh",
        weight: 6,
        female: &["秀英", "丽", "敏", "静", "小红", "婷婷"],
        male: &["伟", "强", "磊", "小明", "建华", "志强"],
        family: &["王", "李", "张", "刘", "陈", "杨", "黄", "赵"],
        phone_prefix: "+86 13",
        streets: &["中山路", "人民路", "解放路"],
        city: "上海",
    },
    Locale {
        lang: "ja",
        weight: 4,
        female: &["さくら", "陽菜", "美咲", "結衣", "葵"],
        male: &["翔太", "大輝", "蓮", "悠人", "健太"],
        family: &["佐藤", "鈴木", "高橋", "田中", "渡辺", "伊藤", "山本"],
        phone_prefix: "+81 90",
        streets: &["本町", "中央通り", "桜通り"],
        city: "東京",
    },
    Locale {
        lang: "ko",
        weight: 3,
        female: &["서연", "지우", "하은", "민지", "수빈"],
        male: &["민준", "서준", "도윤", "지호", "현우"],
        family: &["김", "이", "박", "최", "정", "강"],
        phone_prefix: "+82 10",
        streets: &["세종대로", "테헤란로", "종로"],
        city: "서울",
    },
    Locale {
        lang: "tr",
        weight: 3,
        female: &["Ayşe", "Zeynep", "Elif", "Gülşen", "Çiğdem"],
        male: &["Mehmet", "Mustafa", "Ömer", "İbrahim", "Barış"],
        family: &[
            "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk", "Aydın",
        ],
        phone_prefix: "+90 53",
        streets: &["İstiklal Caddesi", "Atatürk Bulvarı", "Bağdat Caddesi"],
        city: "İstanbul",
    },
    Locale {
        lang: "vi",
        weight: 2,
        female: &["Thảo", "Hương", "Ngọc", "Lan"],
        male: &["Minh", "Tuấn", "Đức", "Hùng"],
        family: &["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng"],
        phone_prefix: "+84 9",
        streets: &["Đường Lê Lợi", "Phố Huế"],
        city: "Hà Nội",
    },
];

const NOTES: &[&str] = &[
    "",
    "",
    "",
    "Prefers morning appointments.",
    "Referred by a friend.",
    "Prefers to be contacted by text message.",
    "Needs step-free access.",
    "Please call before changing appointments.",
];

/// `n` demo patients, born between 1950 and 2008 relative to `today`.
pub fn demo_patients(n: usize, seed: u64, today: NaiveDate) -> Vec<PatientInput> {
    let mut rng = DemoRng::new(seed);
    let total_weight: usize = LOCALES.iter().map(|l| l.weight).sum();
    let earliest = NaiveDate::from_ymd_opt(1950, 1, 1).unwrap_or(today);
    let latest = today - Duration::days(16 * 365);
    let span = (latest - earliest).num_days().max(1) as usize;
    (0..n)
        .map(|i| {
            let mut w = rng.below(total_weight);
            let loc = LOCALES
                .iter()
                .find(|l| {
                    if w < l.weight {
                        true
                    } else {
                        w -= l.weight;
                        false
                    }
                })
                .unwrap_or(&LOCALES[0]);
            let sex = match rng.below(20) {
                0..=12 => Sex::Female, // acne-scar clinics see more women
                13..=18 => Sex::Male,
                _ => Sex::Other,
            };
            let given = match sex {
                Sex::Male => rng.pick(loc.male),
                Sex::Female => rng.pick(loc.female),
                Sex::Other => {
                    if rng.chance(50) {
                        rng.pick(loc.male)
                    } else {
                        rng.pick(loc.female)
                    }
                }
            };
            let family = rng.pick(loc.family);
            let dob = earliest + Duration::days(rng.below(span) as i64);
            let phone = format!(
                "{}{} {:03} {:04}",
                loc.phone_prefix,
                rng.below(10),
                rng.below(1000),
                rng.below(10_000)
            );
            let email = if rng.chance(70) {
                format!("patient{}@example.com", i + 1)
            } else {
                String::new()
            };
            let address = if rng.chance(85) {
                format!(
                    "{} {}\n{}",
                    rng.below(200) + 1,
                    rng.pick(loc.streets),
                    loc.city
                )
            } else {
                String::new()
            };
            PatientInput {
                first_name: given.to_string(),
                last_name: family.to_string(),
                date_of_birth: dob.format("%Y-%m-%d").to_string(),
                sex: if rng.chance(90) { Some(sex) } else { None },
                phone: if rng.chance(95) { phone } else { String::new() },
                email,
                address,
                preferred_language: loc.lang.to_string(),
                notes: rng.pick(NOTES).to_string(),
            }
        })
        .collect()
}

/// Demo clinical records for the first `count` patients: a clear (or, now and
/// then, warning) screening, an assessment, and a plan starting within the
/// next four weeks — some today — so Today, the calendar and the record tabs
/// have something to show. Returns how many plans were made.
pub fn add_clinical_demo(
    clinic: &crate::Clinic,
    session: &crate::Actor,
    count: u32,
    seed: u64,
) -> crate::Result<usize> {
    use dermis_core::assessment::{
        AssessmentInput, GbCounts, ScarType, Sensitivity, TreatmentArea,
    };
    use dermis_core::plan::PlanRequest;
    use dermis_core::screening::{ScreeningAnswer, ScreeningInput};
    clinic.allow(session, crate::Action::GenerateDemoData)?;
    let today = clinic.today();
    let ids = clinic.store()?.read(|tx| tx.first_patient_ids(count))?;
    let questions = clinic.screening_questions(session)?;
    let mut rng = DemoRng::new(seed ^ 0xC1_1C);
    let mut made = 0;
    for (i, id) in ids.into_iter().enumerate() {
        let warn = rng.chance(15);
        let answers = questions
            .iter()
            .map(|q| ScreeningAnswer {
                condition: q.condition,
                present: warn && q.condition == dermis_core::screening::Condition::HerpesSimplex,
                last_date: None,
            })
            .collect();
        clinic.record_screening(
            session,
            ids::PatientId(id),
            &ScreeningInput {
                screened_on: today.to_string(),
                answers,
                notes: String::new(),
            },
        )?;
        let grade = rng.below(4) as u8 + 1;
        let counts = GbCounts {
            macular: rng.below(15) as u32,
            moderate: rng.below(25) as u32,
            severe: if grade >= 3 { rng.below(12) as u32 } else { 0 },
            papular: rng.below(3) as u32,
            keloidal: 0,
        };
        let a = clinic.record_assessment(
            session,
            ids::PatientId(id),
            &AssessmentInput {
                assessed_on: today.to_string(),
                scar_types: [ScarType::IcePick, ScarType::Boxcar, ScarType::Rolling]
                    .into_iter()
                    .filter(|_| rng.chance(60))
                    .chain(std::iter::once(ScarType::Boxcar))
                    .collect(),
                grade,
                counts,
                fitzpatrick: rng.below(6) as u8 + 1,
                sensitivity: [
                    Sensitivity::Sensitive,
                    Sensitivity::Normal,
                    Sensitivity::Resilient,
                ][rng.below(3)],
                treatment_areas: vec![
                    [
                        TreatmentArea::Cheeks,
                        TreatmentArea::Forehead,
                        TreatmentArea::Chin,
                    ][rng.below(3)],
                ],
                scar_age_years: rng.below(12) as u32,
                notes: String::new(),
            },
        )?;
        // A few start today; the rest within four weeks.
        let offset = if i % 7 == 0 { 0 } else { rng.below(28) as i64 };
        let plan = clinic.accept_plan(
            session,
            &PlanRequest {
                patient_id: ids::PatientId(id),
                assessment_id: a.id,
                start: (today + Duration::days(offset)).to_string(),
                adjust: None,
            },
        );
        if let Ok(p) = plan {
            made += 1;
            sign_demo_consent(clinic, session, ids::PatientId(id), seed ^ id as u64)?;
            if let Some(first) = p.sessions.first() {
                let slot = [
                    "09:00", "09:45", "10:30", "11:15", "13:30", "14:15", "15:00", "16:30",
                ][i % 8];
                // Refused when the clinic's practitioners and rooms are all
                // taken then: the session stays on its day without a time.
                match clinic.set_session_time(session, first.id, slot) {
                    Ok(_) => {}
                    Err(e) if e.conflict_message().is_some() => {}
                    Err(e) => return Err(e),
                }
            }
        }
    }
    Ok(made)
}

/// A demo signature: a few wavy strokes in the 400 × 150 box, varied by `seed`.
pub fn demo_signature(seed: u64) -> dermis_core::consent::Strokes {
    let mut rng = DemoRng::new(seed ^ 0x5160);
    let mut strokes = Vec::new();
    let mut x0 = 30.0 + rng.below(30) as f64;
    for _ in 0..(2 + rng.below(2)) {
        let amp = 15.0 + rng.below(25) as f64;
        let len = 60.0 + rng.below(60) as f64;
        let stroke: Vec<(f64, f64)> = (0..=24)
            .map(|k| {
                let t = f64::from(k) / 24.0;
                let x = (x0 + t * len).min(395.0);
                let y = 80.0 + amp * (t * 9.0 + seed as f64).sin() - 20.0 * t;
                (x, y.clamp(5.0, 145.0))
            })
            .collect();
        strokes.push(stroke);
        x0 += len + 10.0;
    }
    dermis_core::consent::Strokes { strokes }
}

/// Signs the microneedling consent for a demo patient and confirms it
/// (`actor` must be a practitioner or the owner): the session gate then passes.
pub fn sign_demo_consent(
    clinic: &crate::Clinic,
    actor: &crate::Actor,
    patient_id: PatientId,
    seed: u64,
) -> crate::Result<dermis_core::consent::ConsentSummary> {
    clinic.sign_consent(
        actor,
        &dermis_core::consent::ConsentSignInput {
            patient_id,
            template: dermis_core::consent::MICRONEEDLING.into(),
            template_version: None,
            signature: demo_signature(seed),
            typed_name: String::new(),
            photo_uses: dermis_core::consent::PhotoUses {
                record: true,
                teaching: seed.is_multiple_of(3),
                marketing: false,
            },
            confirm: true,
        },
    )
}

/// A past of `count` appointments, for benchmarks and a demo clinic with
/// history: on the open days before today, each practitioner sees a patient
/// every 30 minutes from 09:00 in a room of their own (practitioner `i` in
/// room `i mod rooms`, so no two overlap by construction), the patients
/// taken in turn from the first `patients`. Written in one transaction with
/// one audit entry, without the per-booking clash check (the grid is
/// clash-free by construction). Needs at least one practitioner and one room.
pub fn add_appointment_history(
    clinic: &crate::Clinic,
    actor: &crate::Actor,
    count: usize,
    patients: u32,
) -> crate::Result<usize> {
    use dermis_core::schedule::{hhmm, DEFAULT_START};
    clinic.allow(actor, crate::Action::GenerateDemoData)?;
    let today = clinic.today();
    let practitioners: Vec<ids::UserId> = clinic
        .practitioners(actor)?
        .into_iter()
        .map(|p| p.id)
        .collect();
    let rooms: Vec<ids::RoomId> = clinic
        .rooms(actor)?
        .into_iter()
        .filter(|r| r.active)
        .map(|r| r.id)
        .collect();
    if practitioners.is_empty() || rooms.is_empty() {
        return Err(crate::ClinicError::Conflict(
            "Add a practitioner and a room before generating appointment history.".into(),
        ));
    }
    let now = clinic.now();
    let mut store = clinic.store()?;
    let calendar =
        dermis_core::settings::ClinicCalendar::from_settings(&store.read(|tx| tx.plan_settings())?);
    let patient_ids = store.read(|tx| tx.first_patient_ids(patients))?;
    if patient_ids.is_empty() {
        return Err(crate::ClinicError::Conflict(
            "Add patients before generating appointment history.".into(),
        ));
    }
    let per_day = practitioners.len().min(rooms.len()) * 16;
    let kinds = ["review", "consultation", "other"];
    store.write(|tx| -> crate::Result<()> {
        let mut made = 0usize;
        let mut day = today;
        while made < count {
            day = day
                .pred_opt()
                .ok_or_else(|| crate::ClinicError::Internal("ran out of past days".into()))?;
            if !calendar.is_open(day) {
                continue;
            }
            for k in 0..per_day {
                if made >= count {
                    break;
                }
                let i = k % practitioners.len().min(rooms.len());
                let slot = (k / practitioners.len().min(rooms.len())) as u32;
                let place = dermis_store::Placement {
                    date: day,
                    time: hhmm(DEFAULT_START + slot * 30),
                    minutes: 30,
                    numbing_minutes: 0,
                    practitioner: practitioners[i],
                    room: rooms[i],
                };
                let patient = patient_ids[made % patient_ids.len()];
                tx.insert_appointment(
                    patient,
                    kinds[made % kinds.len()],
                    &place,
                    actor.user_id,
                    &now,
                )?;
                made += 1;
            }
        }
        let detail = serde_json::json!({ "appointments": made }).to_string();
        tx.append_audit(&actor.audit_entry(
            now.clone(),
            "demo.appointments",
            "clinic",
            "1",
            &detail,
        ))?;
        Ok(())
    })?;
    Ok(count)
}

/// Screens and assesses a patient, accepts a plan starting `today` and records
/// its first session today (the crash-safety harness: patients and sessions
/// written in a loop). The clinic must be open today, and either its consent
/// gate set to warn or the patient's consent signed ([`sign_demo_consent`]:
/// a PDF per patient, which the crash harness has no time for). Returns the
/// record's id.
pub fn record_first_session(
    clinic: &crate::Clinic,
    session: &crate::Actor,
    patient_id: PatientId,
    today: NaiveDate,
) -> crate::Result<i64> {
    use dermis_core::assessment::{
        AssessmentInput, GbCounts, ScarType, Sensitivity, TreatmentArea,
    };
    use dermis_core::plan::PlanRequest;
    use dermis_core::screening::{ScreeningAnswer, ScreeningInput};
    use dermis_core::session::{draft_record, DepthZone, ZoneDepthInput};
    let answers = clinic
        .screening_questions(session)?
        .into_iter()
        .map(|q| ScreeningAnswer {
            condition: q.condition,
            present: false,
            last_date: None,
        })
        .collect();
    clinic.record_screening(
        session,
        patient_id,
        &ScreeningInput {
            screened_on: today.to_string(),
            answers,
            notes: String::new(),
        },
    )?;
    let a = clinic.record_assessment(
        session,
        patient_id,
        &AssessmentInput {
            assessed_on: today.to_string(),
            scar_types: vec![ScarType::Boxcar],
            grade: 2,
            counts: GbCounts {
                moderate: 8,
                ..Default::default()
            },
            fitzpatrick: 2,
            sensitivity: Sensitivity::Normal,
            treatment_areas: vec![TreatmentArea::Cheeks],
            scar_age_years: 2,
            notes: String::new(),
        },
    )?;
    let plan = clinic.accept_plan(
        session,
        &PlanRequest {
            patient_id,
            assessment_id: a.id,
            start: today.to_string(),
            adjust: None,
        },
    )?;
    let first = plan
        .sessions
        .first()
        .ok_or_else(|| crate::ClinicError::Internal("a plan without sessions".into()))?;
    let input = dermis_core::session::SessionRecordInput {
        device: "Demo pen".into(),
        cartridge_lot: "DEMO-1".into(),
        depths: vec![ZoneDepthInput {
            zone: DepthZone::CheeksChin,
            depth_mm: "1.0".into(),
        }],
        ..draft_record(None, today)
    };
    Ok(clinic.record_session(session, first.id, &input)?.id.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_demo_photo_is_a_480_by_360_png_marked_so_no_one_takes_it_for_a_patient() {
        let img = image::load_from_memory(&synthetic_photo(7, 0))
            .unwrap()
            .to_rgb8();
        assert_eq!(img.dimensions(), (480, 360));
        let magenta = image::Rgb([220, 0, 180]);
        // An 8-pixel magenta border on every side, and no further.
        for (x, y) in [
            (0, 0),
            (7, 200),
            (472, 200),
            (479, 359),
            (240, 352),
            (240, 7),
        ] {
            assert_eq!(*img.get_pixel(x, y), magenta, "({x}, {y})");
        }
        for (x, y) in [(471, 200), (240, 351), (240, 8)] {
            assert_ne!(*img.get_pixel(x, y), magenta, "({x}, {y})");
        }
        // The striped corner: stripes of 8 pixels across the diagonal.
        assert_eq!(*img.get_pixel(30, 30), magenta);
        assert_ne!(*img.get_pixel(40, 30), magenta);
        assert_ne!(*img.get_pixel(38, 30), magenta);
        assert_ne!(*img.get_pixel(88, 8), magenta);
    }

    #[test]
    fn the_demo_generator_is_splitmix64_and_its_chances_are_as_asked() {
        // The published first outputs of splitmix64 from seed 0: the same
        // seed gives the same demo clinic on every PC and version.
        let mut r = DemoRng::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        // chance(p) is true about p times in 100.
        let mut r = DemoRng::new(42);
        assert!((0..1000).all(|_| !r.chance(0)));
        assert!((0..1000).all(|_| r.chance(100)));
        let hits = (0..10_000).filter(|_| r.chance(10)).count();
        assert!((800..1200).contains(&hits), "{hits}");
    }

    #[test]
    fn demo_data_is_valid_varied_and_reproducible() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let a = demo_patients(2000, 7, today);
        assert_eq!(a, demo_patients(2000, 7, today));
        for p in &a {
            dermis_core::validate::patient(p, today).unwrap();
        }
        let langs: std::collections::HashSet<_> =
            a.iter().map(|p| p.preferred_language.as_str()).collect();
        assert!(langs.len() >= 12, "{langs:?}");
        let scripts_ok = ["Müller", "Γιώργος", "Иванов", "محمد", "王", "佐藤", "김"]
            .iter()
            .filter(|n| a.iter().any(|p| p.first_name == **n || p.last_name == **n))
            .count();
        assert!(scripts_ok >= 6);
    }

    /// How many times the points of a stroke turn from going up to going
    /// down or back.
    fn turns(stroke: &[(f64, f64)]) -> usize {
        let steps: Vec<f64> = stroke
            .windows(2)
            .map(|p| p[1].1 - p[0].1)
            .filter(|d| *d != 0.0)
            .collect();
        steps
            .windows(2)
            .filter(|d| d[0].signum() != d[1].signum())
            .count()
    }

    #[test]
    fn a_demo_signature_is_two_or_three_wavy_strokes_inside_the_pad() {
        for seed in 0..60u64 {
            let s = demo_signature(seed);
            assert!((2..=3).contains(&s.strokes.len()), "seed {seed}");
            for stroke in &s.strokes {
                assert!(stroke.len() >= 2, "seed {seed}");
                for (x, y) in stroke {
                    assert!((0.0..=400.0).contains(x), "seed {seed}: x {x}");
                    // Inside the clamp, never pinned to it.
                    assert!(*y > 5.0 && *y < 145.0, "seed {seed}: y {y}");
                }
                // Written left to right...
                assert!(stroke.windows(2).all(|p| p[1].0 >= p[0].0), "seed {seed}");
                assert!(stroke.last().unwrap().0 > stroke[0].0, "seed {seed}");
                // ... and it waves: up and down at least twice.
                assert!(turns(stroke) >= 2, "seed {seed}: {stroke:?}");
            }
            // Each stroke starts to the right of the one before.
            for pair in s.strokes.windows(2) {
                assert!(pair[1][0].0 > pair[0][0].0, "seed {seed}");
            }
        }
        assert_eq!(demo_signature(4), demo_signature(4));
        assert_ne!(demo_signature(4), demo_signature(5));
    }

    const TONES: [[u8; 3]; 6] = [
        [241, 214, 196],
        [228, 190, 160],
        [205, 160, 125],
        [174, 124, 90],
        [128, 88, 62],
        [92, 62, 45],
    ];

    /// The pixels of the skin field: inside the border, off the stripes.
    fn field(img: &image::RgbImage) -> impl Iterator<Item = [u8; 3]> + '_ {
        img.enumerate_pixels()
            .filter(|(x, y, _)| {
                let (x, y) = (i64::from(*x), i64::from(*y));
                let border = x < 8 || y < 8 || x >= 472 || y >= 352;
                let stripe = x + y < 90 && (x - y).rem_euclid(16) < 8;
                !border && !stripe
            })
            .map(|(_, _, p)| p.0)
    }

    /// The photo's skin tone and how many of its pixels are pit-shaded; fails
    /// when a pixel is neither a pit nor the tone darkened by at most 8 %.
    fn pit_pixels(bytes: &[u8]) -> ([u8; 3], usize) {
        let img = image::load_from_memory(bytes).unwrap().to_rgb8();
        let pit = |t: [u8; 3]| t.map(|c| (f64::from(c) * 0.78) as u8);
        let skin = |t: [u8; 3], p: [u8; 3]| {
            (0..3).all(|i| {
                let (c, t) = (f64::from(p[i]), f64::from(t[i]));
                c >= (t * 0.92).floor() && c <= t
            })
        };
        let tone = TONES
            .into_iter()
            .find(|t| field(&img).all(|p| p == pit(*t) || skin(*t, p)))
            .unwrap_or_else(|| panic!("a pixel is no skin tone: {:?}", field(&img).next()));
        (tone, field(&img).filter(|p| *p == pit(tone)).count())
    }

    #[test]
    fn a_demo_photo_is_skin_with_small_round_pits_that_fewer_as_it_heals() {
        let area = |pits: f64| (pits * std::f64::consts::PI * 64.0) as usize;
        for seed in [1u64, 7, 99, 12_345] {
            let before = synthetic_photo(seed, 0);
            let (tone, pits0) = pit_pixels(&before);
            assert!(pits0 > 0 && pits0 <= area(40.0), "seed {seed}: {pits0}");
            let after = synthetic_photo(seed, 5);
            let (tone5, pits5) = pit_pixels(&after);
            assert_eq!(tone5, tone, "the same skin as it heals");
            assert!(pits5 > 0 && pits5 <= area(10.0), "seed {seed}: {pits5}");
            assert!(pits5 < pits0, "seed {seed}: {pits5} >= {pits0}");
            assert_eq!(synthetic_photo(seed, 0), before, "reproducible");
        }
        assert_ne!(synthetic_photo(1, 0), synthetic_photo(2, 0));
    }
}

/// What [`add_living_clinic`] made.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct LivingClinic {
    pub practitioners: usize,
    pub rooms: usize,
    pub plans: usize,
    pub sessions_recorded: usize,
    pub healing_reports: usize,
    pub adverse_events: usize,
    pub assessments: usize,
    pub photos: usize,
    pub bookings_ahead: usize,
    pub recalls_due: usize,
}

/// A synthetic face-area photo: a skin-tone field with darker pits whose
/// number falls as `progress` grows, a magenta border and a striped corner so
/// no one could take it for a real patient. PNG bytes.
pub fn synthetic_photo(seed: u64, progress: u32) -> Vec<u8> {
    let mut rng = DemoRng::new(seed);
    let tones: [[u8; 3]; 6] = [
        [241, 214, 196],
        [228, 190, 160],
        [205, 160, 125],
        [174, 124, 90],
        [128, 88, 62],
        [92, 62, 45],
    ];
    let base = tones[rng.below(tones.len())];
    let pits: Vec<(i64, i64, i64)> = (0..(40u32.saturating_sub(progress * 6)).max(6))
        .map(|_| {
            (
                60 + rng.below(360) as i64,
                50 + rng.below(260) as i64,
                3 + rng.below(6) as i64,
            )
        })
        .collect();
    let img = image::RgbImage::from_fn(480, 360, |x, y| {
        let (x, y) = (i64::from(x), i64::from(y));
        if x < 8 || y < 8 || x >= 472 || y >= 352 {
            return image::Rgb([220, 0, 180]);
        }
        if x + y < 90 && (x - y).rem_euclid(16) < 8 {
            return image::Rgb([220, 0, 180]);
        }
        let shade = pits
            .iter()
            .any(|(px, py, r)| (x - px) * (x - px) + (y - py) * (y - py) <= r * r);
        let k = if shade {
            0.78
        } else {
            1.0 - (y as f64 / 360.0) * 0.08
        };
        image::Rgb(base.map(|c| (f64::from(c) * k) as u8))
    });
    let mut out = std::io::Cursor::new(Vec::new());
    // Writing a PNG into memory cannot fail for an RGB image.
    let _ = img.write_to(&mut out, image::ImageFormat::Png);
    out.into_inner()
}

/// A clinic with a past and a future (issue 19): two practitioners, three
/// rooms; courses started over the past three months with their sessions
/// booked to a time, practitioner and room, recorded (depths, lots) on their
/// day, followed by healing reports (a few adverse events), assessments that
/// improve, synthetic photos (when the clinic keeps photo files), the next
/// four weeks booked, first consultations and reviews ahead, and recalls due.
///
/// It travels in time: the clinic's clock is set to each day in turn, so
/// every record goes through the same use-cases (and rules) as by hand; at
/// the end the clock is `restore`. Uses the patients after the first 60 (the
/// ones [`add_clinical_demo`] plans). `password` is given to the second
/// practitioner and the receptionist it creates.
pub fn add_living_clinic(
    clinic: &mut crate::Clinic,
    admin: &crate::Actor,
    password: &str,
    seed: u64,
    restore: std::sync::Arc<dyn crate::Clock>,
) -> crate::Result<LivingClinic> {
    let out = living(clinic, admin, password, seed);
    clinic.set_clock(restore);
    out
}

fn living(
    clinic: &mut crate::Clinic,
    admin: &crate::Actor,
    password: &str,
    seed: u64,
) -> crate::Result<LivingClinic> {
    use crate::{BookingInput, ClinicError, MoveInput, SlotQuery};
    use dermis_core::assessment::{
        AssessmentInput, GbCounts, ScarType, Sensitivity, TreatmentArea,
    };
    use dermis_core::photo::{PhotoAngle, PhotoTags};
    use dermis_core::plan::{PlanOverride, PlanRequest, SessionStatus};
    use dermis_core::schedule::BookingKey;
    use dermis_core::screening::{ScreeningAnswer, ScreeningInput};
    use dermis_core::session::{
        draft_record, AdverseEventInput, AdverseEventKind, DepthZone, HealingInput, SkinThickness,
        ZoneDepthInput,
    };
    use dermis_core::{LoginInput, Role};
    use std::collections::BTreeMap;
    use std::sync::Arc;

    clinic.allow(admin, crate::Action::GenerateDemoData)?;
    let today = clinic.today();
    let travel =
        |c: &mut crate::Clinic, d: NaiveDate| c.set_clock(Arc::new(crate::FixedClock::on(d)));
    let mut made = LivingClinic::default();
    let mut rng = DemoRng::new(seed ^ 0x11_71_96);

    // People and rooms (kept when they exist already).
    for (user, name, role) in [
        ("dr.lindqvist", "Dr Maja Lindqvist", Role::Practitioner),
        ("reception", "Sam Reyes", Role::Receptionist),
    ] {
        match clinic.create_user(admin, user, name, password, &[role]) {
            Ok(_) | Err(ClinicError::Conflict(_)) | Err(ClinicError::Validation(_)) => {}
            Err(e) => return Err(e),
        }
    }
    for room in ["Room 1", "Room 2", "Laser suite"] {
        match clinic.add_room(admin, room) {
            Ok(_) | Err(ClinicError::Validation(_)) => {}
            Err(e) => return Err(e),
        }
    }
    let practitioners: Vec<ids::UserId> = clinic
        .practitioners(admin)?
        .into_iter()
        .map(|p| p.id)
        .collect();
    let rooms: Vec<ids::RoomId> = clinic
        .rooms(admin)?
        .into_iter()
        .filter(|r| r.active)
        .map(|r| r.id)
        .collect();
    made.practitioners = practitioners.len();
    made.rooms = rooms.len();
    // Each practitioner records their own sessions.
    let second = clinic
        .login(&LoginInput {
            username: "dr.lindqvist".into(),
            password: password.into(),
        })
        .ok();
    let actor_of = |who: ids::UserId| -> &crate::Actor {
        match &second {
            Some(s) if s.user_id == who.0 => s,
            _ => admin,
        }
    };
    let ids_all = clinic.store()?.read(|tx| tx.first_patient_ids(100))?;
    let course: Vec<PatientId> = ids_all
        .iter()
        .skip(60)
        .take(16)
        .map(|i| PatientId(*i))
        .collect();
    let visitors: Vec<PatientId> = ids_all
        .iter()
        .skip(76)
        .take(10)
        .map(|i| PatientId(*i))
        .collect();
    if course.is_empty() || practitioners.is_empty() || rooms.is_empty() {
        return Ok(made);
    }
    let questions = clinic.screening_questions(admin)?;
    // The cheeks' ceilings from the clinic's own chart: a depth above one needs
    // a confirmation the demo does not give, and its session would go
    // unrecorded. Thin skin at or just under its ceiling, thick skin a little
    // deeper (the default chart: 0.75 or 1.0 mm; 1.5, 1.75 or 2.0 mm).
    let cheeks = clinic
        .depth_chart(admin)?
        .into_iter()
        .find(|z| z.zone == DepthZone::CheeksChin)
        .ok_or_else(|| ClinicError::Internal("the depth chart has no cheeks".into()))?;
    let below = |top: u32, steps: &[u32]| -> Vec<String> {
        steps
            .iter()
            .map(|s| dermis_core::session::format_mm(top.saturating_sub(*s)))
            .collect()
    };
    let thin_depths = below(cheeks.thin.max_um, &[250, 0]);
    let thick_depths = below(cheeks.thick.max_um, &[500, 250, 0]);
    let clear = |d: NaiveDate| ScreeningInput {
        screened_on: d.to_string(),
        answers: questions
            .iter()
            .map(|q| ScreeningAnswer {
                condition: q.condition,
                present: false,
                last_date: None,
            })
            .collect(),
        notes: String::new(),
    };
    let calendar =
        dermis_core::settings::ClinicCalendar::from_settings(&clinic.plan_settings(admin)?);
    let open_from = |d: NaiveDate| calendar.first_open_from(d).unwrap_or(d);

    struct Course {
        patient: PatientId,
        who: ids::UserId,
        counts: GbCounts,
        sensitivity: Sensitivity,
        recorded: u32,
        last_record: Option<ids::SessionRecordId>,
    }
    let mut courses: Vec<Course> = Vec::new();
    for (j, patient) in course.iter().enumerate() {
        // Two single top-up sessions about three months ago: their recalls fall due now.
        let single = j < 2;
        let start = open_from(
            today
                - Duration::days(if single {
                    93 - 5 * j as i64
                } else {
                    91 - 4 * j as i64
                }),
        );
        travel(clinic, start);
        clinic.record_screening(admin, *patient, &clear(start))?;
        // The session gate: the patient signs the consent on the first visit.
        sign_demo_consent(clinic, admin, *patient, 7_000 + j as u64)?;
        let counts = GbCounts {
            macular: 11 + rng.below(8) as u32,
            moderate: 21 + rng.below(10) as u32,
            severe: 3 + rng.below(6) as u32,
            papular: rng.below(3) as u32,
            keloidal: 0,
        };
        let sensitivity = if single {
            Sensitivity::Resilient
        } else {
            [
                Sensitivity::Normal,
                Sensitivity::Resilient,
                Sensitivity::Sensitive,
            ][rng.below(3)]
        };
        let a = clinic.record_assessment(
            admin,
            *patient,
            &AssessmentInput {
                assessed_on: start.to_string(),
                scar_types: vec![ScarType::Rolling, ScarType::Boxcar],
                grade: 2 + rng.below(2) as u8,
                counts,
                fitzpatrick: 1 + rng.below(4) as u8,
                sensitivity,
                treatment_areas: vec![TreatmentArea::Cheeks],
                scar_age_years: 1 + rng.below(6) as u32,
                notes: "Demo baseline assessment (synthetic).".into(),
            },
        )?;
        made.assessments += 1;
        let plan = clinic.accept_plan(
            admin,
            &PlanRequest {
                patient_id: *patient,
                assessment_id: a.id,
                start: start.to_string(),
                adjust: single.then(|| PlanOverride {
                    sessions: Some(1),
                    interval_weeks: None,
                    reason: "Demo: a single top-up session.".into(),
                }),
            },
        )?;
        made.plans += 1;
        let who = practitioners[j % practitioners.len()];
        let room = rooms[j % rooms.len()];
        // Book every session into the first free hour on its planned day.
        for s in &plan.sessions {
            let q = SlotQuery {
                practitioner_id: Some(who),
                room_id: Some(room),
                minutes: 60,
                from_date: s.date.to_string(),
                from_time: ["09:00", "10:00", "13:00", "14:00"][j % 4].into(),
            };
            if let Some(slot) = clinic.next_free_slot(admin, &q)? {
                if slot.date == s.date {
                    clinic.move_booking(
                        admin,
                        BookingKey::Session(s.id),
                        None,
                        &MoveInput {
                            time: slot.time.clone(),
                            practitioner_id: Some(who),
                            room_id: Some(room),
                            ..MoveInput::default()
                        },
                    )?;
                }
            }
        }
        courses.push(Course {
            patient: *patient,
            who,
            counts,
            sensitivity,
            recorded: 0,
            last_record: None,
        });
    }

    // Walk the past day by day: sessions recorded on their day, healing
    // reported three days later, a reassessment at each visit (scores fall).
    let first_day = today - Duration::days(93);
    let mut healing_due: BTreeMap<NaiveDate, Vec<(usize, ids::SessionRecordId)>> = BTreeMap::new();
    let lots = ["DP4-26A-0113", "DP4-26B-0420", "DP4-26C-0731"];
    let mut photos_work = true;
    let mut day = first_day;
    while day < today {
        travel(clinic, day);
        for (ci, c) in courses.iter_mut().enumerate() {
            let plans = clinic.plans(admin, c.patient)?;
            let Some(plan) = plans.first() else { continue };
            let Some(s) = plan
                .sessions
                .iter()
                .find(|s| s.date == day && s.status == SessionStatus::Planned)
            else {
                continue;
            };
            let actor = actor_of(c.who);
            let thick = c.sensitivity == Sensitivity::Resilient;
            let depth = if thick {
                thick_depths[rng.below(thick_depths.len())].clone()
            } else {
                thin_depths[rng.below(thin_depths.len())].clone()
            };
            let input = dermis_core::session::SessionRecordInput {
                numbing_cream: "Lidocaine 4% cream (demo)".into(),
                numbing_minutes: Some(20),
                device: "Dermapen 4 (demo)".into(),
                cartridge_lot: lots[(c.recorded as usize + ci) % lots.len()].into(),
                skin: if thick {
                    SkinThickness::Thick
                } else {
                    SkinThickness::Thin
                },
                depths: vec![
                    ZoneDepthInput {
                        zone: DepthZone::CheeksChin,
                        depth_mm: depth,
                    },
                    ZoneDepthInput {
                        zone: DepthZone::Forehead,
                        depth_mm: "0.5".into(),
                    },
                ],
                passes: 3 + rng.below(2) as u32,
                glide_product: "Hyaluronic glide serum (demo)".into(),
                glide_lot: format!("HA-{}", 2600 + rng.below(40)),
                duration_minutes: Some(35 + rng.below(20) as u32),
                notes: "Demo session: even pinpoint bleeding on both cheeks (synthetic record)."
                    .into(),
                ..draft_record(None, day)
            };
            let record = match clinic.record_session(actor, s.id, &input) {
                Ok(r) => r,
                // A paused plan (after an adverse event) waits for a practitioner.
                Err(ClinicError::Conflict(_)) | Err(ClinicError::Validation(_)) => continue,
                Err(e) => return Err(e),
            };
            made.sessions_recorded += 1;
            c.recorded += 1;
            c.last_record = Some(record.id);
            if let Some(h) = [3, 4, 5]
                .get(rng.below(3))
                .map(|n| day + Duration::days(*n))
            {
                if h < today {
                    healing_due.entry(h).or_default().push((ci, record.id));
                }
            }
            {
                let k = 1.0 - 0.3 * f64::from(c.recorded.min(3));
                let scaled = |n: u32| ((f64::from(n) * k).round() as u32).min(n);
                clinic.record_assessment(
                    actor,
                    c.patient,
                    &AssessmentInput {
                        assessed_on: day.to_string(),
                        scar_types: vec![ScarType::Rolling, ScarType::Boxcar],
                        grade: 2,
                        counts: GbCounts {
                            macular: scaled(c.counts.macular),
                            moderate: scaled(c.counts.moderate),
                            severe: scaled(c.counts.severe),
                            papular: scaled(c.counts.papular),
                            keloidal: 0,
                        },
                        fitzpatrick: 2,
                        sensitivity: c.sensitivity,
                        treatment_areas: vec![TreatmentArea::Cheeks],
                        scar_age_years: 2,
                        notes: "Demo reassessment: shallower rolling scars (synthetic).".into(),
                    },
                )?;
                made.assessments += 1;
            }
            if photos_work {
                let tags = PhotoTags {
                    taken_on: day.to_string(),
                    area: TreatmentArea::Cheeks,
                    angle: PhotoAngle::Front,
                    session_record_id: Some(record.id),
                    assessment_id: None,
                };
                let bytes = synthetic_photo(seed ^ (ci as u64) << 8, c.recorded);
                match clinic.import_photo(actor, c.patient, "demo-synthetic.png", &bytes, &tags) {
                    Ok(_) => made.photos += 1,
                    // A clinic in memory keeps no photo files: no photos then.
                    Err(_) => photos_work = false,
                }
            }
        }
        if let Some(due) = healing_due.remove(&day) {
            for (ci, record) in due {
                let c = &courses[ci];
                let adverse = made.healing_reports % 6 == 5;
                let events = if adverse {
                    made.adverse_events += 1;
                    vec![AdverseEventInput {
                        kind: [
                            AdverseEventKind::Pih,
                            AdverseEventKind::AcneFlare,
                            AdverseEventKind::Erythema,
                        ][rng.below(3)],
                        description: "Demo: settled with aftercare (synthetic).".into(),
                    }]
                } else {
                    vec![]
                };
                let input = HealingInput {
                    reported_on: day.to_string(),
                    redness_days: 1 + rng.below(4) as u32,
                    flaking_days: 1 + rng.below(3) as u32,
                    events,
                    notes: "Demo follow-up call (synthetic).".into(),
                };
                match clinic.record_healing(actor_of(c.who), record, &input) {
                    Ok(_) => made.healing_reports += 1,
                    Err(ClinicError::Conflict(_) | ClinicError::SlotTaken(_))
                    | Err(ClinicError::Validation(_)) => {}
                    Err(e) => return Err(e),
                }
            }
        }
        day += Duration::days(1);
    }

    // The next four weeks: first consultations and reviews.
    travel(clinic, today);
    for (i, p) in visitors.iter().chain(course.iter().take(4)).enumerate() {
        let kind = if i < visitors.len() {
            "consultation"
        } else {
            "review"
        };
        let who = practitioners[i % practitioners.len()];
        let q = SlotQuery {
            practitioner_id: Some(who),
            room_id: None,
            minutes: if kind == "review" { 15 } else { 30 },
            from_date: open_from(today + Duration::days(1 + (i as i64 * 3) % 27)).to_string(),
            from_time: ["09:30", "11:00", "15:00"][i % 3].into(),
        };
        if let Some(slot) = clinic.next_free_slot(admin, &q)? {
            clinic.book_appointment(
                admin,
                &BookingInput {
                    patient_id: *p,
                    kind: kind.into(),
                    date: slot.date.to_string(),
                    time: slot.time,
                    minutes: None,
                    numbing_minutes: None,
                    practitioner_id: slot.practitioner_id,
                    room_id: slot.room_id,
                },
            )?;
        }
    }
    // Sessions booked before there were practitioners and rooms (the plans
    // of add_clinical_demo) get both, in the first free place from their time.
    let ahead = clinic.bookings(
        admin,
        &today.to_string(),
        &(today + Duration::days(60)).to_string(),
    )?;
    for b in ahead.iter().filter(|b| {
        b.practitioner_id.is_none() && b.status == dermis_core::schedule::BookingStatus::Booked
    }) {
        let Some(time) = &b.time else { continue };
        let q = SlotQuery {
            practitioner_id: None,
            room_id: None,
            minutes: b.minutes,
            from_date: b.date.to_string(),
            from_time: time.clone(),
        };
        if let Some(slot) = clinic.next_free_slot(admin, &q)? {
            if slot.date == b.date {
                clinic.move_booking(
                    admin,
                    b.key,
                    None,
                    &MoveInput {
                        time: slot.time,
                        practitioner_id: Some(slot.practitioner_id),
                        room_id: Some(slot.room_id),
                        ..MoveInput::default()
                    },
                )?;
            }
        }
    }
    made.bookings_ahead = clinic
        .bookings(
            admin,
            &today.to_string(),
            &(today + Duration::days(28)).to_string(),
        )?
        .len();
    made.recalls_due = clinic.today_list(admin)?.recalls.len();
    Ok(made)
}
