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
            if let Some(first) = p.sessions.first() {
                let slot = [
                    "09:00", "09:45", "10:30", "11:15", "13:30", "14:15", "15:00", "16:30",
                ][i % 8];
                clinic.set_session_time(session, first.id, slot)?;
            }
        }
    }
    Ok(made)
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
/// written in a loop). The clinic must be open today. Returns the record's id.
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
}
