//! `dermis`: the command line for admins and scripts. Every command goes
//! through dermis-clinic with a signed-in actor, exactly as the app does.
//! With `--json` a command prints exactly one JSON document on stdout; errors
//! go to stderr (as `{code, message, field, fields}` JSON with `--json`) with
//! a non-zero exit code.

mod admin;
mod calendar;
mod clinical;
mod consent;
mod recalls;
mod sessions;

use clap::{Args, Parser, Subcommand};
use dermis_clinic::core::ids;
use dermis_clinic::core::{LoginInput, PatientInput, PatientSearch, SetupInput, Sex};
use dermis_clinic::{Actor, ApiError, Clinic, ErrorCode, Unlock};
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Parser)]
#[command(
    name = "dermis",
    version,
    about = "Dermis practice manager: command line for admins and scripts"
)]
struct Cli {
    /// The clinic database: a file (default: the app's database in the OS
    /// app-data folder) or the clinic server, `postgresql://host[:port]/db`
    /// (every command then connects as the --user's own login role with their
    /// password; `init` as the URL's setup user, `postgresql://setup-user@host/db`,
    /// whose password comes from DERMIS_SETUP_PASSWORD or a prompt).
    #[arg(long, global = true, env = "DERMIS_DB")]
    db: Option<PathBuf>,
    /// The user to act as; the password comes from DERMIS_PASSWORD or a prompt.
    #[arg(long, global = true, env = "DERMIS_USER")]
    user: Option<String>,
    /// Read the sign-in password from this open file descriptor (its first
    /// line), e.g. `--password-fd 3 3<secret.txt`, instead of DERMIS_PASSWORD
    /// or the prompt: nothing in the environment or the process list.
    #[arg(long, global = true)]
    password_fd: Option<u32>,
    /// Read a NEW password (user add, reset-password, password) from this
    /// file descriptor instead of DERMIS_NEW_PASSWORD or the prompt.
    #[arg(long, global = true)]
    new_password_fd: Option<u32>,
    /// Print exactly one JSON document on stdout.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum BackupCommand {
    /// Check a backup file without restoring it: an encrypted one (its
    /// `<file>.keys` beside it) opens with --user's password or the recovery
    /// key in DERMIS_RECOVERY_KEY; nothing is written. Prints its patients,
    /// photos, schema and audit head.
    Inspect {
        #[arg(long)]
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum Command {
    /// Create the clinic and its first account (admin and practitioner).
    Init {
        #[arg(long)]
        clinic: String,
        /// The first account's user name.
        #[arg(long)]
        admin: String,
        /// The first account's full name (default: the user name).
        #[arg(long)]
        display_name: Option<String>,
        #[arg(long, default_value = "")]
        address: String,
        #[arg(long, default_value = "")]
        phone: String,
        /// Encrypt the database (SQLCipher) under a random data key kept only
        /// wrapped: per account under its password, and under a recovery key
        /// printed ONCE here (`recovery_key` with --json). Keep it in the safe.
        #[arg(long)]
        encrypt: bool,
        /// With --encrypt: also write the one-page recovery sheet (PDF) to
        /// this NEW file, to print and keep in the safe (it can be made only now).
        #[arg(long, value_name = "FILE.pdf", requires = "encrypt")]
        recovery_sheet: Option<std::path::PathBuf>,
    },
    /// Encrypt an existing plaintext clinic (admin: --user and their
    /// password): a verified backup first, then an encrypted copy checked
    /// against it (rows, audit head), swapped in atomically. Prints the
    /// recovery key once. The plaintext backup is kept unless --remove-plaintext.
    Encrypt {
        /// Remove the plaintext backup made first and the plaintext automatic
        /// backups (overwritten with zeros, then deleted).
        #[arg(long)]
        remove_plaintext: bool,
        /// Do not ask for confirmation of --remove-plaintext.
        #[arg(long)]
        yes: bool,
        /// Also write the one-page recovery sheet (PDF) to this NEW file, to
        /// print and keep in the safe (it can be made only now).
        #[arg(long, value_name = "FILE.pdf")]
        recovery_sheet: Option<std::path::PathBuf>,
    },
    /// Set a new password for --user of an encrypted clinic with its recovery
    /// key (the new password from DERMIS_NEW_PASSWORD or a prompt); the data
    /// key is re-wrapped for it and the old password no longer opens anything.
    Recover {
        /// The recovery key shown at `init --encrypt` / `encrypt` (or DERMIS_RECOVERY_KEY).
        #[arg(long, env = "DERMIS_RECOVERY_KEY", hide_env_values = true)]
        recovery_key: String,
    },
    /// Patients: add, search, show.
    #[command(subcommand)]
    Patient(PatientCommand),
    /// Appointments with a length, a practitioner and a room: book, move, cancel.
    #[command(subcommand)]
    Appointment(calendar::AppointmentCommand),
    /// Every booking from one day to another: time, length, kind, patient
    /// number, practitioner, room.
    Calendar {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
    },
    /// The clinic's rooms: add, list, rename, retire.
    #[command(subcommand)]
    Rooms(calendar::RoomsCommand),
    /// Treatment plans: preview (no database), propose, accept, reschedule.
    #[command(subcommand)]
    Plan(clinical::PlanCommand),
    /// Screenings: record.
    #[command(subcommand)]
    Screening(clinical::ScreeningCommand),
    /// Assessments: record.
    #[command(subcommand)]
    Assessment(clinical::AssessmentCommand),
    /// Session records: record, healing follow-up, list.
    #[command(subcommand)]
    Session(sessions::SessionCommand),
    /// Photos: import, list.
    #[command(subcommand)]
    Photo(sessions::PhotoCommand),
    /// The adverse-event register (filter; --out FILE writes CSV).
    AdverseEvents {
        /// erythema, oedema, pih, acne_flare, infection, herpes_reactivation,
        /// tram_track_scarring, granuloma or other.
        #[arg(long)]
        kind: Option<String>,
        #[arg(long, default_value = "")]
        from: String,
        #[arg(long, default_value = "")]
        to: String,
        /// Part of a cartridge or glide lot number.
        #[arg(long, default_value = "")]
        lot: String,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Lot trace: every patient treated with a product lot (admin, practitioner).
    #[command(subcommand)]
    Lots(recalls::LotsCommand),
    /// The recall call list (overdue and due this week); `contact` logs a
    /// call, `letter` writes a recall letter.
    Recalls {
        #[command(subcommand)]
        action: Option<recalls::RecallsCommand>,
    },
    /// Consent forms: templates, sign, confirm, revoke, list.
    #[command(subcommand)]
    Consent(consent::ConsentCommand),
    /// Print documents to PDF files: aftercare, summary, schedule, today, consent.
    #[command(subcommand)]
    Print(PrintCommand),
    /// Accounts: add, deactivate, reset a password (admin).
    #[command(subcommand)]
    User(admin::UserCommand),
    /// The audit log: verify the hash chain, export as CSV (admin).
    #[command(subcommand)]
    Audit(admin::AuditCommand),
    /// Export every patient, assessment, plan, session and the adverse-event
    /// register: CSV files into a folder, or one JSON document (admin).
    Export {
        /// csv or json
        #[arg(long)]
        format: String,
        /// The folder (csv) or file (json) to write.
        #[arg(long)]
        out: PathBuf,
    },
    /// Write a verified backup of the database (admin). On the clinic
    /// server: a pg_dump (custom format) sealed to the clinic's backup key
    /// (see server-backup-key), checked by restoring it into a scratch
    /// database as it is written and comparing the counts and the audit head.
    /// `backup inspect` of a sealed dump opens it with your password, or with
    /// the backup recovery key in DERMIS_RECOVERY_KEY.
    #[command(args_conflicts_with_subcommands = true)]
    Backup {
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(subcommand)]
        action: Option<BackupCommand>,
    },
    /// Replace the database with a backup, after checking it (admin). The
    /// current data is kept beside the database first. On the clinic server
    /// the --db URL names the setup user (DERMIS_SETUP_PASSWORD or a prompt),
    /// who replaces the data; the data as it was is kept as a verified dump
    /// in this PC's folder for the server. A sealed server dump opens with
    /// your (an admin's) password, or with the backup recovery key in
    /// DERMIS_RECOVERY_KEY.
    Restore {
        #[arg(long)]
        from: PathBuf,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
    /// Crash-safety harness: registers patients in a loop, printing
    /// "committed <id>" after each commit (used by the kill tests).
    #[command(hide = true)]
    WriteLoop {
        #[arg(long, default_value_t = 1_000_000)]
        count: u64,
    },
    /// Copy a single-PC clinic file onto an empty clinic server (admin of the
    /// file: --user and their password). The server's setup user's password
    /// comes from DERMIS_SETUP_PASSWORD or a prompt. Prints the counts on both
    /// sides; refuses a server database that already holds a clinic.
    Copy {
        /// The clinic file.
        #[arg(long)]
        from: PathBuf,
        /// The clinic server: postgresql://setup-user@host[:port]/db
        #[arg(long)]
        to: String,
    },
    /// The clinic server's TLS certificate fingerprint, read without signing
    /// in, to compare with the one its set-up printed before this PC joins;
    /// prints the address to use from then on (the fingerprint pinned in it).
    ServerFingerprint {
        /// postgresql://host[:port]/database
        address: String,
    },
    /// The clinic server's scheduled backup, run on the server PC as the setup
    /// user (--db postgresql://setup-user@127.0.0.1/db, DERMIS_SETUP_PASSWORD):
    /// a verified dump into DIR, only the newest --keep kept. The nightly
    /// timer of scripts/clinic-server.sh runs it; so does "backup to a USB
    /// stick now".
    ServerBackup {
        #[arg(long)]
        dir: PathBuf,
        #[arg(long, default_value_t = 14)]
        keep: usize,
    },
    /// The clinic server's backup key pair (admin, on the server): made if
    /// the server has none, and its backup recovery key printed this once
    /// (keep it in the clinic's safe: with an admin's password it is what
    /// opens the server's dumps). Every server backup is refused until it
    /// exists. Another admin, with DERMIS_RECOVERY_KEY set, gets their own
    /// copy of the key (opened later with their password). Safe to run
    /// again: a server that has its key is said to and nothing changes
    /// (checked as the setup user first when DERMIS_SETUP_PASSWORD is set).
    ServerBackupKey,
    /// Fill the database with generated demo patients (never real people).
    /// On an empty database this also creates a demo clinic and account, and
    /// makes it a living clinic: two practitioners, three rooms, the past three
    /// months recorded (sessions, healing, photos, assessments) and the next
    /// four weeks booked.
    Demo {
        #[arg(long, default_value_t = 200)]
        patients: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Subcommand)]
enum PrintCommand {
    /// An aftercare sheet: of a planned session, or for a patient treated on a date.
    Aftercare {
        #[arg(long, conflicts_with_all = ["patient", "date"], required_unless_present = "patient")]
        session: Option<i64>,
        #[arg(long, requires = "date")]
        patient: Option<String>,
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        out: PathBuf,
        /// Print in this language (en, fr, es, de, it, pt, ar) instead of the patient's own.
        #[arg(long)]
        language: Option<String>,
    },
    /// A patient's progress summary (practitioners and admins).
    Summary {
        #[arg(long)]
        patient: String,
        #[arg(long)]
        out: PathBuf,
        /// Print in this language (en, fr, es, de, it, pt, ar) instead of the patient's own.
        #[arg(long)]
        language: Option<String>,
    },
    /// A patient's schedule card: the plan's dates to take home.
    Schedule {
        #[arg(long)]
        patient: String,
        #[arg(long)]
        out: PathBuf,
        /// Print in this language (en, fr, es, de, it, pt, ar) instead of the patient's own.
        #[arg(long)]
        language: Option<String>,
    },
    /// A confirmed consent's stored PDF (the frozen file; practitioners and admins).
    Consent {
        #[arg(long)]
        consent: i64,
        #[arg(long)]
        out: PathBuf,
    },
    /// Every aftercare sheet of a day in one PDF, in appointment order.
    Today {
        /// The day (default: today).
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum PatientCommand {
    /// Register a patient.
    Add(AddArgs),
    /// Change a patient's details (only the fields given change).
    Edit(EditArgs),
    /// Search by name, phone digits, date of birth or patient number.
    Search {
        query: String,
        /// Include archived patients.
        #[arg(long)]
        archived: bool,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Show one patient by id or patient number (P-000042).
    Show { id: String },
    /// Erase a patient and everything recorded about them (right to erasure;
    /// admin). Asks for confirmation unless --yes.
    Erase {
        id: String,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
    /// Merge two records of one person (admin): everything recorded about
    /// OTHER moves to KEEP, OTHER is archived pointing at KEEP. Shows what
    /// will move and asks for confirmation unless --yes.
    Merge {
        /// The record that stays (id or patient number).
        keep: String,
        /// The duplicate merged into it (id or patient number).
        other: String,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
    /// Write one patient's full record as JSON (a data-access request; admin).
    Export {
        id: String,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Args)]
struct AddArgs {
    #[arg(long)]
    first: String,
    #[arg(long)]
    last: String,
    /// Date of birth, YYYY-MM-DD.
    #[arg(long)]
    dob: String,
    #[arg(long, default_value = "")]
    phone: String,
    #[arg(long, default_value = "")]
    email: String,
    /// female, male or other.
    #[arg(long)]
    sex: Option<String>,
    #[arg(long, default_value = "")]
    address: String,
    /// Preferred language code (en, fr, es, de, it, pt, ar, or any other;
    /// documents fall back to the clinic's default language).
    #[arg(long, default_value = "")]
    language: String,
    #[arg(long, default_value = "")]
    notes: String,
    /// Add the patient even though the clinic already has a record with the
    /// same name and birth date, or the same phone (it is someone else).
    #[arg(long)]
    not_duplicate: bool,
}

#[derive(Args)]
struct EditArgs {
    /// The patient's id or patient number (P-000042).
    id: String,
    #[arg(long)]
    first: Option<String>,
    #[arg(long)]
    last: Option<String>,
    /// Date of birth, YYYY-MM-DD.
    #[arg(long)]
    dob: Option<String>,
    #[arg(long)]
    phone: Option<String>,
    #[arg(long)]
    email: Option<String>,
    #[arg(long)]
    address: Option<String>,
    /// Preferred language code (en, fr, es, de, it, pt, ar, or any other).
    #[arg(long)]
    language: Option<String>,
    #[arg(long)]
    notes: Option<String>,
}

/// The demo account created on an empty database by `dermis demo`.
const DEMO_USER: &str = "admin";
const DEMO_PASSWORD: &str = "violet tractor lantern";

fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = cli.json;
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let code = e.code;
            if json {
                eprintln!(
                    "{}",
                    serde_json::to_string(&e).unwrap_or_else(|_| e.message.clone())
                );
            } else {
                eprintln!("dermis: {e}");
            }
            ExitCode::from(match code {
                ErrorCode::Validation => 2,
                ErrorCode::Forbidden => 3,
                ErrorCode::NotFound => 4,
                ErrorCode::Conflict | ErrorCode::Locked | ErrorCode::Unavailable => 5,
                ErrorCode::Io | ErrorCode::Internal => 1,
            })
        }
    }
}

pub(crate) fn fail(code: ErrorCode, field: Option<&str>, message: impl Into<String>) -> ApiError {
    ApiError {
        code,
        message: message.into(),
        field: field.map(str::to_string),
        fields: vec![],
        slot: None,
    }
}

fn db_path(cli: &Cli) -> Result<PathBuf, ApiError> {
    match &cli.db {
        Some(p) => Ok(p.clone()),
        None => dermis_clinic::default_db_path().ok_or_else(|| {
            fail(
                ErrorCode::Io,
                Some("db"),
                "There is no app-data folder on this computer; give --db PATH.",
            )
        }),
    }
}

/// `--password-fd` and `--new-password-fd`, set once in `run`.
pub(crate) static PASSWORD_FDS: std::sync::OnceLock<(Option<u32>, Option<u32>)> =
    std::sync::OnceLock::new();

/// The first line of the open file descriptor `fd` (without its line break).
pub(crate) fn read_fd(fd: u32, field: &str) -> Result<String, ApiError> {
    let unreadable = |e: String| {
        fail(
            ErrorCode::Validation,
            Some(field),
            format!("The password could not be read from file descriptor {fd}: {e}."),
        )
    };
    if cfg!(unix) {
        let text = std::fs::read_to_string(format!("/dev/fd/{fd}"))
            .map_err(|e| unreadable(e.to_string()))?;
        let line = text.lines().next().unwrap_or_default().to_string();
        if line.is_empty() {
            return Err(unreadable("it is empty".into()));
        }
        Ok(line)
    } else {
        Err(unreadable(
            "this system has no /dev/fd; use the prompt or the environment".into(),
        ))
    }
}

fn password(prompt: &str) -> Result<String, ApiError> {
    if let Some(fd) = PASSWORD_FDS.get().and_then(|f| f.0) {
        return read_fd(fd, "password");
    }
    if let Ok(p) = std::env::var("DERMIS_PASSWORD") {
        return Ok(p);
    }
    rpassword::prompt_password(prompt).map_err(|e| {
        fail(
            ErrorCode::Validation,
            Some("password"),
            format!("No password: set DERMIS_PASSWORD, give --password-fd N or run in a terminal ({e})."),
        )
    })
}

/// Asks on the terminal; anything but "y"/"yes" (or no terminal) is a no.
fn confirm(question: &str) -> bool {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() {
        return false;
    }
    eprint!("{question}");
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer).is_ok()
        && matches!(answer.trim().to_lowercase().as_str(), "y" | "yes")
}

fn login(clinic: &Clinic, user: Option<&str>) -> Result<Actor, ApiError> {
    let username = who(user)?;
    let password = password(&format!("Password for {username}: "))?;
    Ok(clinic.login(&LoginInput {
        username: username.to_string(),
        password,
    })?)
}

/// The `--user` (or DERMIS_USER), required.
fn who(user: Option<&str>) -> Result<&str, ApiError> {
    user.ok_or_else(|| {
        fail(
            ErrorCode::Validation,
            Some("user"),
            "Say who you are: --user NAME or DERMIS_USER.",
        )
    })
}

/// The clinic server's setup user's password: DERMIS_SETUP_PASSWORD, none
/// when the URL carries one, else a prompt.
fn setup_password(url: &str) -> Result<Option<String>, ApiError> {
    if let Ok(p) = std::env::var("DERMIS_SETUP_PASSWORD") {
        return Ok(Some(p));
    }
    if dermis_clinic::redact_url(url) != url {
        return Ok(None);
    }
    rpassword::prompt_password(format!(
        "Password of the setup user on {}: ",
        dermis_clinic::redact_url(url)
    ))
    .map(Some)
    .map_err(|e| {
        fail(
            ErrorCode::Validation,
            Some("setup_password"),
            format!("No password for the clinic server's setup user: set DERMIS_SETUP_PASSWORD or run in a terminal ({e})."),
        )
    })
}

pub(crate) fn print<T: Serialize>(
    json: bool,
    value: &T,
    human: impl FnOnce(&T) -> String,
) -> Result<(), ApiError> {
    let text = if json {
        serde_json::to_string_pretty(value)
            .map_err(|e| fail(ErrorCode::Internal, None, e.to_string()))?
    } else {
        human(value)
    };
    out(&text)
}

/// Writes one document and a line break to stdout. A reader that went away
/// (`dermis … | head`) ends the output quietly instead of a panic.
pub(crate) fn out(text: &str) -> Result<(), ApiError> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match writeln!(stdout, "{text}").and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(fail(
            ErrorCode::Io,
            None,
            format!("The output could not be written: {e}."),
        )),
    }
}

fn patient_line(
    number: &str,
    last: &str,
    first: &str,
    dob: &chrono::NaiveDate,
    phone: &str,
    archived: bool,
) -> String {
    format!(
        "{number}  {last}, {first}  born {dob}  {phone}{}",
        if archived { "  [archived]" } else { "" }
    )
}

fn run(cli: Cli) -> Result<(), ApiError> {
    if let Command::Plan(clinical::PlanCommand::Preview(a)) = &cli.command {
        return clinical::preview(a, cli.json);
    }
    let _ = PASSWORD_FDS.set((cli.password_fd, cli.new_password_fd));
    if let Command::Copy { from, to } = &cli.command {
        return copy(&cli, from, to);
    }
    if let Command::ServerFingerprint { address } = &cli.command {
        let cert = dermis_clinic::server_certificate(address)?;
        return print(cli.json, &cert, |c| {
            format!(
                "The clinic server's certificate fingerprint (SHA-256):\n  {}\n\
                 Compare it with the one printed when the server was set up. If they are the same,\n\
                 use this address from now on (--db or DERMIS_DB):\n  {}",
                c.fingerprint, c.address
            )
        });
    }
    let path = db_path(&cli)?;
    if let Some(url) = path.to_str().filter(|p| dermis_clinic::is_server_url(p)) {
        return run_on_server(&cli, url);
    }
    if let Command::ServerBackup { .. } = &cli.command {
        return Err(not_on_a_file());
    }
    if let Command::ServerBackupKey = &cli.command {
        // Said before anything opens (or creates) a clinic file.
        return Err(backup_key_not_on_a_file());
    }
    match &cli.command {
        Command::Init { encrypt: true, .. } => return init_encrypted(&cli, &path),
        Command::Encrypt { .. } => return encrypt(&cli, &path),
        Command::Recover { .. } => return recover(&cli, &path),
        Command::Backup {
            action: Some(BackupCommand::Inspect { file }),
            ..
        } if dermis_clinic::keys::key_file_path(file).exists() => {
            return inspect_encrypted_backup(&cli, file)
        }
        Command::Restore { from, .. } if encrypted_restore_fresh(&path, from) => {
            return restore_encrypted_fresh(&cli, &path, from)
        }
        _ => {}
    }
    if dermis_clinic::keys::is_encrypted(&path) {
        return run_encrypted(&cli, &path);
    }
    let mut clinic = Clinic::open(&path).map_err(ApiError::from)?;
    let json = cli.json;
    match &cli.command {
        Command::Init { .. } => init(&cli, &clinic, &path.display().to_string()),
        Command::User(admin::UserCommand::Password) => {
            // Your own password: the one you signed in with is the current one.
            let Some(username) = cli.user.as_deref() else {
                return Err(fail(
                    ErrorCode::Validation,
                    Some("user"),
                    "Say who you are: --user NAME or DERMIS_USER.",
                ));
            };
            let current = password(&format!("Current password for {username}: "))?;
            let actor = clinic.login(&LoginInput {
                username: username.to_string(),
                password: current.clone(),
            })?;
            let new = admin::new_password("Your new password: ")?;
            clinic.change_password(&actor, &current, &new)?;
            print(
                json,
                &serde_json::json!({ "password_changed": actor.username }),
                |_| "Your password was changed.".to_string(),
            )
        }
        Command::Demo { patients, seed } => demo(
            &mut clinic,
            &path,
            cli.user.as_deref(),
            json,
            *patients,
            *seed,
        ),
        // Every other command acts as one signed-in person: sign in once, here.
        _ => {
            let actor = login(&clinic, cli.user.as_deref())?;
            run_as(&cli, &clinic, &actor)
        }
    }
}

fn backup_key_not_on_a_file() -> ApiError {
    fail(
        ErrorCode::Validation,
        Some("db"),
        "server-backup-key is for the clinic server (--db postgresql://…); a single PC's backups are encrypted with its own data key.",
    )
}

fn not_on_a_file() -> ApiError {
    fail(
        ErrorCode::Validation,
        Some("db"),
        "server-backup runs on the clinic server (--db postgresql://…); a single PC makes its own daily backup when the app starts, and `dermis backup` writes one now.",
    )
}

/// Every command on an encrypted clinic file: the --user's password
/// unwraps the data key and signs them in (one prompt).
fn run_encrypted(cli: &Cli, path: &std::path::Path) -> Result<(), ApiError> {
    let username = who(cli.user.as_deref())?;
    match &cli.command {
        Command::Init { .. } => Err(fail(
            ErrorCode::Conflict,
            None,
            "This clinic is already set up (encrypted); sign in instead.",
        )),
        Command::Demo { .. } => Err(fail(
            ErrorCode::Validation,
            None,
            "Demo data goes into a new plaintext practice database, not an encrypted clinic.",
        )),
        Command::User(admin::UserCommand::Password) => {
            let current = password(&format!("Current password for {username}: "))?;
            let (clinic, actor) = Clinic::open_encrypted(path, username, &current)?;
            let new = admin::new_password("Your new password: ")?;
            clinic.change_password(&actor, &current, &new)?;
            print(
                cli.json,
                &serde_json::json!({ "password_changed": actor.username }),
                |_| "Your password was changed.".to_string(),
            )
        }
        _ => {
            let pw = password(&format!("Password for {username}: "))?;
            let (clinic, actor) = Clinic::open_encrypted(path, username, &pw)?;
            run_as(cli, &clinic, &actor)
        }
    }
}

/// `init --encrypt`: a new encrypted clinic; the recovery key printed once.
fn init_encrypted(cli: &Cli, path: &std::path::Path) -> Result<(), ApiError> {
    let Command::Init {
        clinic: name,
        admin,
        display_name,
        address,
        phone,
        recovery_sheet,
        ..
    } = &cli.command
    else {
        return Err(fail(ErrorCode::Internal, None, "not an init command"));
    };
    if let Some(sheet) = recovery_sheet.as_deref().filter(|p| p.exists()) {
        return Err(fail(
            ErrorCode::Conflict,
            Some("recovery_sheet"),
            format!(
                "{} already exists; choose another name for the recovery sheet. Nothing was created.",
                sheet.display()
            ),
        ));
    }
    let password = password(&format!("New password for {admin}: "))?;
    let (clinic, actor, recovery) = Clinic::create_encrypted(
        path,
        &SetupInput {
            clinic_name: name.clone(),
            clinic_address: address.clone(),
            clinic_phone: phone.clone(),
            admin_username: admin.clone(),
            admin_display_name: display_name.clone().unwrap_or_else(|| admin.clone()),
            password,
        },
    )?;
    let mut out = serde_json::to_value(actor.info())
        .map_err(|e| fail(ErrorCode::Internal, None, e.to_string()))?;
    out["encrypted"] = true.into();
    out["recovery_key"] = recovery.as_str().into();
    if let Some(sheet) = recovery_sheet {
        // The key is printed above whatever happens: a sheet that cannot be
        // written is said, not a reason to lose the key.
        let written = clinic.documents_date_format().and_then(|format| {
            dermis_clinic::write_recovery_sheet(sheet, name, recovery.as_str(), format)
        });
        match written {
            Ok(()) => out["recovery_sheet"] = sheet.display().to_string().into(),
            Err(e) => out["recovery_sheet_error"] = e.to_string().into(),
        }
    }
    print(cli.json, &out, |_| {
        format!(
            "Created the encrypted clinic \"{name}\" in {} with the account {} (admin, practitioner).\n\n\
             RECOVERY KEY (shown only now; write it down and keep it in the clinic's safe):\n\n    {}\n\n\
             With it an administrator's forgotten password can be replaced (dermis recover). \
             Without it and every password, the data cannot be read by anyone.{}",
            path.display(),
            actor.username,
            recovery.as_str(),
            sheet_note(&out)
        )
    })
}

/// `encrypt`: converts the plaintext clinic at `path`.
fn encrypt(cli: &Cli, path: &std::path::Path) -> Result<(), ApiError> {
    let Command::Encrypt {
        remove_plaintext,
        yes,
        recovery_sheet,
    } = &cli.command
    else {
        return Err(fail(ErrorCode::Internal, None, "not an encrypt command"));
    };
    let username = who(cli.user.as_deref())?;
    let pw = password(&format!("Password for {username}: "))?;
    let remove = *remove_plaintext
        && (*yes
            || confirm(
                "Remove the plaintext backup and the plaintext automatic backups once the clinic is encrypted? [y/N] ",
            ));
    if *remove_plaintext && !remove {
        return Err(fail(
            ErrorCode::Conflict,
            Some("yes"),
            "Nothing was changed: removing the plaintext copies was not confirmed (use --yes in scripts).",
        ));
    }
    if let Some(sheet) = recovery_sheet.as_deref().filter(|p| p.exists()) {
        return Err(fail(
            ErrorCode::Conflict,
            Some("recovery_sheet"),
            format!(
                "{} already exists; choose another name for the recovery sheet. Nothing was changed.",
                sheet.display()
            ),
        ));
    }
    let r = Clinic::encrypt_existing(path, username, &pw, remove)?;
    let mut out =
        serde_json::to_value(&r).map_err(|e| fail(ErrorCode::Internal, None, e.to_string()))?;
    if let Some(sheet) = recovery_sheet {
        match dermis_clinic::write_recovery_sheet(
            sheet,
            &r.clinic_name,
            &r.recovery_key,
            r.date_format,
        ) {
            Ok(()) => out["recovery_sheet"] = sheet.display().to_string().into(),
            Err(e) => out["recovery_sheet_error"] = e.to_string().into(),
        }
    }
    let note = sheet_note(&out);
    print(cli.json, &out, |_| {
        let mut text = format!(
            "The clinic is encrypted ({} patients, {} audit entries; head {}).\n\n\
             RECOVERY KEY (shown only now; write it down and keep it in the clinic's safe):\n\n    {}\n",
            r.patients, r.audit_entries, r.audit_head, r.recovery_key
        );
        if r.removed.is_empty() {
            text.push_str(&format!(
                "\nThe plaintext backup made first is {}: remove it (dermis encrypt --remove-plaintext does) once you are satisfied.",
                r.plaintext_backup.display()
            ));
        } else {
            text.push_str(&format!("\nRemoved {} plaintext copies.", r.removed.len()));
        }
        if !r.accounts_needing_reset.is_empty() {
            text.push_str(&format!(
                "\nThese accounts cannot open the encrypted clinic until you reset their passwords: {}.",
                r.accounts_needing_reset.join(", ")
            ));
        }
        text.push_str(&note);
        text
    })
}

/// What became of the recovery sheet asked for, as a sentence (empty: none asked).
fn sheet_note(out: &serde_json::Value) -> String {
    if let Some(p) = out["recovery_sheet"].as_str() {
        format!(
            "\n\nThe recovery sheet is {p}: print it, keep it in the safe, then delete the file."
        )
    } else if let Some(e) = out["recovery_sheet_error"].as_str() {
        format!("\n\nThe recovery sheet was NOT written ({e}): write the key above down by hand.")
    } else {
        String::new()
    }
}

/// `recover`: a new password for --user with the recovery key.
fn recover(cli: &Cli, path: &std::path::Path) -> Result<(), ApiError> {
    let Command::Recover { recovery_key } = &cli.command else {
        return Err(fail(ErrorCode::Internal, None, "not a recover command"));
    };
    let username = who(cli.user.as_deref())?;
    if !dermis_clinic::keys::is_encrypted(path) {
        return Err(fail(
            ErrorCode::Validation,
            Some("db"),
            "This clinic is not encrypted: an administrator resets passwords with `dermis user reset-password`.",
        ));
    }
    let new = admin::new_password(&format!("New password for {username}: "))?;
    let actor = Clinic::recover(path, username, recovery_key, &new)?;
    print(
        cli.json,
        &serde_json::json!({ "recovered": actor.username }),
        |_| {
            format!(
                "{} has a new password; the old one no longer opens the clinic.",
                actor.username
            )
        },
    )
}

/// A restore of an encrypted backup (a key file beside it) into a data
/// folder that has no clinic yet: a new PC.
fn encrypted_restore_fresh(path: &std::path::Path, from: &std::path::Path) -> bool {
    let empty = std::fs::metadata(path)
        .map(|m| m.len() == 0)
        .unwrap_or(true);
    empty && dermis_clinic::keys::is_encrypted(from)
}

/// `backup inspect` of an encrypted backup: unlocked with DERMIS_RECOVERY_KEY
/// or --user's password, checked read-only; no clinic needs to exist here.
fn inspect_encrypted_backup(cli: &Cli, file: &std::path::Path) -> Result<(), ApiError> {
    let recovery = std::env::var("DERMIS_RECOVERY_KEY").ok();
    let info = match &recovery {
        Some(key) => Clinic::inspect_encrypted_backup(file, &Unlock::Recovery(key))?,
        None => {
            let username = who(cli.user.as_deref())?;
            let pw = password(&format!("Password for {username}: "))?;
            Clinic::inspect_encrypted_backup(
                file,
                &Unlock::Password {
                    username,
                    password: &pw,
                },
            )?
        }
    };
    print(cli.json, &info, |i| {
        format!(
            "The encrypted backup {} checks out: {} patients, {} photos, schema {}, {} audit entries (head {}), {:.1} MB.",
            i.path.display(),
            i.patients,
            i.photos,
            i.schema_version,
            i.audit_entries,
            i.audit_head,
            i.bytes as f64 / 1e6
        )
    })
}

fn restore_encrypted_fresh(
    cli: &Cli,
    path: &std::path::Path,
    from: &std::path::Path,
) -> Result<(), ApiError> {
    let username = who(cli.user.as_deref())?;
    // With DERMIS_RECOVERY_KEY: the recovery key opens the backup and --user
    // gets a new password (DERMIS_NEW_PASSWORD); otherwise their own password.
    let recovery = std::env::var("DERMIS_RECOVERY_KEY").ok();
    let patients;
    let actor = match &recovery {
        Some(key) => {
            let new = admin::new_password(&format!("New password for {username}: "))?;
            patients = Clinic::restore_encrypted_fresh(from, path, &Unlock::Recovery(key))?;
            Clinic::recover(path, username, key, &new)?
        }
        None => {
            let pw = password(&format!("Password for {username}: "))?;
            patients = Clinic::restore_encrypted_fresh(
                from,
                path,
                &Unlock::Password {
                    username,
                    password: &pw,
                },
            )?;
            Clinic::open_encrypted(path, username, &pw)?.1
        }
    };
    print(
        cli.json,
        &serde_json::json!({ "restored": from, "into": path, "patients": patients, "user": actor.username }),
        |_| {
            format!(
                "Restored the encrypted backup {} into {} ({patients} patients); {} is signed in.",
                from.display(),
                path.display(),
                actor.username
            )
        },
    )
}

/// `init`: the clinic and its first account, in `place` (a file or the server).
fn init(cli: &Cli, clinic: &Clinic, place: &str) -> Result<(), ApiError> {
    let Command::Init {
        clinic: name,
        admin,
        display_name,
        address,
        phone,
        ..
    } = &cli.command
    else {
        return Err(fail(ErrorCode::Internal, None, "not an init command"));
    };
    let password = password(&format!("New password for {admin}: "))?;
    let actor = clinic.setup(&SetupInput {
        clinic_name: name.clone(),
        clinic_address: address.clone(),
        clinic_phone: phone.clone(),
        admin_username: admin.clone(),
        admin_display_name: display_name.clone().unwrap_or_else(|| admin.clone()),
        password,
    })?;
    print(cli.json, &actor.info(), |s| {
        format!(
            "Created the clinic \"{name}\" in {place} with the account {} (admin, practitioner).",
            s.username
        )
    })
}

/// Every command on the clinic server at `url`. `init` connects as the URL's
/// setup user; everything else as the `--user`'s own login role with their
/// password, which then also signs them in to Dermis (asked once).
fn run_on_server(cli: &Cli, url: &str) -> Result<(), ApiError> {
    use dermis_clinic::ServerLogin;
    if let Command::ServerBackupKey = &cli.command {
        if backup_key_already_made(cli, url)? {
            return Ok(());
        }
    }
    match &cli.command {
        Command::Init { encrypt: true, .. } => Err(fail(
            ErrorCode::Validation,
            Some("encrypt"),
            "--encrypt encrypts a single-PC clinic file; the clinic server's data at rest is protected by the server's disk encryption.",
        )),
        Command::Init { .. } => {
            let setup = setup_password(url)?;
            let clinic = Clinic::open_server(
                url,
                ServerLogin::Setup {
                    password: setup.as_deref(),
                },
            )?;
            init(cli, &clinic, &dermis_clinic::redact_url(url))
        }
        Command::ServerBackup { dir, keep } => {
            let setup = setup_password(url)?;
            let clinic = Clinic::open_server(
                url,
                ServerLogin::Setup {
                    password: setup.as_deref(),
                },
            )?;
            let b = clinic.scheduled_server_backup(dir, *keep)?;
            print(cli.json, &b, |b| {
                format!(
                    "Server backup written and verified: {} ({} patients, {:.1} MB).{SEALED_CHECKS}",
                    b.path,
                    b.patients,
                    b.bytes as f64 / 1e6
                )
            })
        }
        Command::Demo { .. } => Err(fail(
            ErrorCode::Validation,
            Some("db"),
            "Demo data is generated into a clinic file (--db PATH); `dermis copy` then moves it onto the clinic server.",
        )),
        command => {
            let username = who(cli.user.as_deref())?;
            let own = matches!(command, Command::User(admin::UserCommand::Password));
            let prompt = if own {
                format!("Current password for {username}: ")
            } else {
                format!("Password for {username}: ")
            };
            let pw = password(&prompt)?;
            let clinic = Clinic::open_server(
                url,
                ServerLogin::User {
                    username,
                    password: &pw,
                },
            )?;
            let actor = clinic.login(&LoginInput {
                username: username.to_string(),
                password: pw.clone(),
            })?;
            let _ = SIGNED_IN.set(pw.clone());
            if own {
                let new = admin::new_password("Your new password: ")?;
                clinic.change_password(&actor, &pw, &new)?;
                return print(
                    cli.json,
                    &serde_json::json!({ "password_changed": actor.username }),
                    |_| "Your password was changed.".to_string(),
                );
            }
            run_as(cli, &clinic, &actor)
        }
    }
}

/// `copy`: the clinic file `from` onto the empty clinic server `to`.
fn copy(cli: &Cli, from: &std::path::Path, to: &str) -> Result<(), ApiError> {
    if !dermis_clinic::is_server_url(to) {
        return Err(fail(
            ErrorCode::Validation,
            Some("to"),
            "--to must be the clinic server: postgresql://setup-user@host[:port]/db",
        ));
    }
    if !from.exists() {
        return Err(fail(
            ErrorCode::NotFound,
            Some("from"),
            format!("There is no clinic file {}.", from.display()),
        ));
    }
    let clinic = Clinic::open(from)?;
    let username = who(cli.user.as_deref())?;
    let pw = password(&format!("Password for {username}: "))?;
    let actor = clinic.login(&LoginInput {
        username: username.to_string(),
        password: pw.clone(),
    })?;
    let setup = setup_password(to)?;
    let keys = dermis_clinic::server_keys_dir(to)?.ok_or_else(|| {
        fail(
            ErrorCode::Io,
            None,
            "There is no app-data folder on this computer to keep the clinic server's audit key in.",
        )
    })?;
    let report = clinic.copy_to_server(&actor, &pw, to, setup.as_deref(), &keys)?;
    let server = dermis_clinic::redact_url(to);
    print(cli.json, &report, |r| {
        let mut s = format!("Copied {} onto {server}:\n", from.display());
        s.push_str(&format!(
            "  {:<22} {:>10} {:>10}\n",
            "table", "file", "server"
        ));
        for (table, a, b) in &r.tables {
            s.push_str(&format!(
                "  {table:<22} {a:>10} {b:>10}{}\n",
                if a == b { "" } else { "  DIFFERS" }
            ));
        }
        s.push_str(&format!(
            "  audit log: {} entries on each side, chain {} under the clinic's key.\n",
            r.target_audit_entries,
            if r.chain_intact {
                "intact"
            } else {
                "NOT intact"
            }
        ));
        s.push_str(&format!(
            "Ready to sign in with their own password: {}.",
            r.ready.join(", ")
        ));
        if !r.need_password_reset.is_empty() {
            s.push_str(&format!(
                "\nThese accounts need a password reset by an admin before they can sign in on the server \
                 (their passwords are not in the file, only hashes): {}.\n\
                 Run: dermis --db {server} --user {username} user reset-password --name NAME",
                r.need_password_reset.join(", ")
            ));
        }
        s
    })?;
    if !(report.counts_match && report.chain_intact) {
        return Err(fail(
            ErrorCode::Internal,
            None,
            "The copy on the clinic server does not match the clinic file (see the counts above).",
        ));
    }
    Ok(())
}

/// The commands that act as the signed-in `actor`.
fn run_as(cli: &Cli, clinic: &Clinic, actor: &Actor) -> Result<(), ApiError> {
    let json = cli.json;
    match &cli.command {
        Command::Patient(PatientCommand::Add(a)) => {
            let sex = match &a.sex {
                None => None,
                Some(s) => Some(Sex::parse(s).ok_or_else(|| {
                    fail(
                        ErrorCode::Validation,
                        Some("sex"),
                        format!("\"{s}\" is not one of female, male, other."),
                    )
                })?),
            };
            let input = PatientInput {
                first_name: a.first.clone(),
                last_name: a.last.clone(),
                date_of_birth: a.dob.clone(),
                sex,
                phone: a.phone.clone(),
                email: a.email.clone(),
                address: a.address.clone(),
                preferred_language: a.language.clone(),
                notes: a.notes.clone(),
            };
            if !a.not_duplicate {
                // The app's check before saving: the same name and birth date, or the same phone.
                let found = clinic.possible_duplicates(actor, &input, None)?;
                if !found.is_empty() {
                    let list: Vec<String> = found
                        .iter()
                        .map(|d| {
                            format!(
                                "{} {} {} (born {}{})",
                                d.patient_number,
                                d.first_name,
                                d.last_name,
                                d.date_of_birth,
                                if d.archived { ", archived" } else { "" }
                            )
                        })
                        .collect();
                    return Err(fail(
                        ErrorCode::Conflict,
                        None,
                        format!(
                            "The clinic may already have this patient: {}. Use that record, or add with --not-duplicate if it is someone else.",
                            list.join("; ")
                        ),
                    ));
                }
            }
            let p = clinic.create_patient(actor, &input)?;
            print(json, &p, |p| {
                format!(
                    "Added {} {} as {}.",
                    p.first_name, p.last_name, p.patient_number
                )
            })
        }
        Command::Patient(PatientCommand::Edit(e)) => {
            let id = resolve_patient_id(clinic, actor, &e.id)?;
            let p = clinic.patient(actor, ids::PatientId(id))?;
            let pick =
                |new: &Option<String>, old: &str| new.clone().unwrap_or_else(|| old.to_string());
            let input = PatientInput {
                first_name: pick(&e.first, &p.first_name),
                last_name: pick(&e.last, &p.last_name),
                date_of_birth: pick(&e.dob, &p.date_of_birth.to_string()),
                sex: p.sex,
                phone: pick(&e.phone, &p.phone),
                email: pick(&e.email, &p.email),
                address: pick(&e.address, &p.address),
                preferred_language: pick(&e.language, &p.preferred_language),
                notes: pick(&e.notes, &p.notes),
            };
            let p = clinic.update_patient(actor, ids::PatientId(id), p.version, &input)?;
            print(json, &p, |p| {
                format!(
                    "Updated {} {} ({}); preferred language: {}.",
                    p.first_name,
                    p.last_name,
                    p.patient_number,
                    if p.preferred_language.is_empty() {
                        "none"
                    } else {
                        &p.preferred_language
                    }
                )
            })
        }
        Command::Patient(PatientCommand::Search {
            query,
            archived,
            limit,
        }) => {
            let page = clinic.search_patients(
                actor,
                &PatientSearch {
                    query: query.clone(),
                    include_archived: *archived,
                    offset: 0,
                    limit: *limit,
                },
            )?;
            print(json, &page, |page| {
                if page.items.is_empty() {
                    return format!("No patient matches \"{query}\".");
                }
                let mut lines: Vec<String> = page
                    .items
                    .iter()
                    .map(|p| {
                        patient_line(
                            &p.patient_number,
                            &p.last_name,
                            &p.first_name,
                            &p.date_of_birth,
                            &p.phone,
                            p.archived,
                        )
                    })
                    .collect();
                if page.has_more {
                    lines.push(format!(
                        "… more match; showing the first {}.",
                        page.items.len()
                    ));
                }
                lines.join("\n")
            })
        }
        Command::Print(PrintCommand::Consent { consent, out }) => {
            let doc = clinic.save_consent(actor, ids::ConsentId(*consent), out)?;
            print(json, &doc, |d| {
                format!(
                    "{} written: {} page(s), {} KB.",
                    d.path,
                    d.pages,
                    d.bytes.div_ceil(1024)
                )
            })
        }
        Command::Print(cmd) => {
            use dermis_clinic::PrintRequest;
            let req = match cmd {
                PrintCommand::Aftercare {
                    session: Some(id),
                    out,
                    language,
                    ..
                } => (PrintRequest::Aftercare { session_id: *id }, out, language),
                PrintCommand::Aftercare {
                    patient,
                    date,
                    out,
                    language,
                    ..
                } => (
                    PrintRequest::AftercareOn {
                        patient_id: resolve_patient_id(
                            clinic,
                            actor,
                            patient.as_deref().unwrap_or_default(),
                        )?,
                        date: date.clone().unwrap_or_default(),
                    },
                    out,
                    language,
                ),
                PrintCommand::Summary {
                    patient,
                    out,
                    language,
                } => (
                    PrintRequest::ProgressSummary {
                        patient_id: resolve_patient_id(clinic, actor, patient)?,
                    },
                    out,
                    language,
                ),
                PrintCommand::Schedule {
                    patient,
                    out,
                    language,
                } => (
                    PrintRequest::ScheduleCard {
                        patient_id: resolve_patient_id(clinic, actor, patient)?,
                    },
                    out,
                    language,
                ),
                PrintCommand::Consent { .. } => {
                    return Err(fail(ErrorCode::Internal, None, "a consent prints above"))
                }
                PrintCommand::Today { date, out } => (
                    PrintRequest::Today {
                        date: date.clone().unwrap_or_default(),
                    },
                    out,
                    &None,
                ),
            };
            let (req, out, language) = req;
            let doc = clinic.render_document_in(actor, &req, language.as_deref())?;
            std::fs::write(out, &doc.bytes).map_err(|e| {
                fail(
                    ErrorCode::Io,
                    Some("out"),
                    format!("{} cannot be written: {e}.", out.display()),
                )
            })?;
            let summary = serde_json::json!({
                "path": out.display().to_string(), "kind": doc.kind, "pages": doc.pages,
                "patients": doc.patients, "bytes": doc.bytes.len(),
                "language": doc.language, "language_note": doc.language_note
            });
            print(json, &summary, |_| {
                let mut line = format!(
                    "{} written: {} page(s), {} KB, language {}.",
                    out.display(),
                    doc.pages,
                    doc.bytes.len().div_ceil(1024),
                    doc.language
                );
                if !doc.language_note.is_empty() {
                    line.push_str(&format!("\nNote: {}", doc.language_note));
                }
                line
            })
        }
        Command::Patient(PatientCommand::Export { id, out }) => {
            let pid = resolve_patient_id(clinic, actor, id)?;
            // The clinic's own export (written whole or not at all), as the app's.
            let written = clinic.export_patient_record(actor, ids::PatientId(pid), out)?;
            let number = clinic.patient(actor, ids::PatientId(pid))?.patient_number;
            let summary = serde_json::json!({
                "path": written.path,
                "patient": number,
                "passphrase": written.passphrase,
            });
            print(json, &summary, |_| {
                match &written.passphrase {
                Some(p) => format!(
                    "The full record of {number} was written to {} (an AES-256 encrypted ZIP).\n\n\
                     PASSPHRASE (shown only now; give it to the patient separately from the file):\n\n    {p}",
                    written.path
                ),
                None => format!("The full record of {number} was written to {}.", written.path),
            }
            })
        }
        Command::Export { format, out } => {
            let format: dermis_clinic::ExportFormat = clinical::word("format", format)?;
            let s = clinic.export_data(actor, format, out)?;
            print(json, &s, |s| {
                let mut text = format!(
                    "Exported {} patients, {} assessments, {} plans, {} sessions and {} adverse events to {} ({}).",
                    s.patients, s.assessments, s.plans, s.sessions, s.adverse_events, s.path, s.files.join(", ")
                );
                if let Some(p) = &s.passphrase {
                    text.push_str(&format!(
                        "\n\nThe clinic is encrypted, so the export is an AES-256 encrypted ZIP.\n\
                         PASSPHRASE (shown only now; hand it over separately from the file):\n\n    {p}"
                    ));
                }
                text
            })
        }
        Command::Patient(PatientCommand::Erase { id, yes }) => {
            let pid = resolve_patient_id(clinic, actor, id)?;
            if !yes
                && !confirm(&format!(
                    "Erase patient {pid} and everything recorded about them? This cannot be undone (backups keep them until they age out). [y/N] "
                ))
            {
                return Err(fail(
                    ErrorCode::Conflict,
                    Some("yes"),
                    "Nothing was erased: not confirmed (use --yes in scripts).",
                ));
            }
            let r = clinic.erase_patient(actor, ids::PatientId(pid))?;
            print(json, &r, |r| {
                format!(
                    "Patient {} was erased: {} records and {} photo files removed. Backups made before keep them until they age out.",
                    r.patient_id, r.rows, r.photo_files
                )
            })
        }
        Command::Patient(PatientCommand::Merge { keep, other, yes }) => {
            let keep = ids::PatientId(resolve_patient_id(clinic, actor, keep)?);
            let other = ids::PatientId(resolve_patient_id(clinic, actor, other)?);
            let preview = clinic.merge_preview(actor, keep, other)?;
            if let Some(why) = preview.refusal {
                return Err(fail(ErrorCode::Conflict, None, why));
            }
            let what = merge_counts_text(&preview.moves);
            if !yes
                && !confirm(&format!(
                    "Merge {} into {}? Moving ({}) to {}; {} will be archived. [y/N] ",
                    preview.other.patient_number,
                    preview.keep.patient_number,
                    what,
                    preview.keep.patient_number,
                    preview.other.patient_number,
                ))
            {
                return Err(fail(
                    ErrorCode::Conflict,
                    Some("yes"),
                    "Nothing was merged: not confirmed (use --yes in scripts).",
                ));
            }
            let r = clinic.merge_patients(actor, keep, other)?;
            print(json, &r, |r| {
                let mut s = format!(
                    "{} was merged into {}. Moved: {}. {} is archived and points to {}.",
                    r.merged_number,
                    r.kept_number,
                    merge_counts_text(&r.moved),
                    r.merged_number,
                    r.kept_number
                );
                if !r.filled.is_empty() {
                    s.push_str(&format!(
                        " Copied to {} (it had none): {}.",
                        r.kept_number,
                        r.filled.join(", ")
                    ));
                }
                if r.duplicate_photos > 0 {
                    s.push_str(&format!(
                        " {} photos were already on {} and are kept once.",
                        r.duplicate_photos, r.kept_number
                    ));
                }
                s
            })
        }
        Command::Patient(PatientCommand::Show { id }) => {
            let pid = resolve_patient_id(clinic, actor, id)?;
            let p = clinic.patient(actor, ids::PatientId(pid))?;
            print(json, &p, |p| {
                let mut s = patient_line(
                    &p.patient_number,
                    &p.last_name,
                    &p.first_name,
                    &p.date_of_birth,
                    &p.phone,
                    p.archived,
                );
                for (label, v) in [
                    ("email", &p.email),
                    ("address", &p.address),
                    ("language", &p.preferred_language),
                    ("notes", &p.notes),
                ] {
                    if !v.is_empty() {
                        s.push_str(&format!("\n  {label}: {}", v.replace('\n', ", ")));
                    }
                }
                s
            })
        }
        Command::WriteLoop { count } => {
            use std::io::Write;
            let today = clinic.today();
            let people = dermis_clinic::demo::demo_patients(256, 7, today);
            // Open every day, so each new plan's first session is today and can be recorded.
            let mut settings = clinic.plan_settings(actor)?;
            settings.open_weekdays = dermis_clinic::core::settings::Weekday::ALL.to_vec();
            clinic.update_plan_settings(actor, &settings)?;
            // The harness is about surviving kills, not consent: the gate warns
            // (each session keeps the warning) instead of a signed PDF per patient.
            clinic.set_consent_settings(
                actor,
                &dermis_clinic::core::consent::ConsentSettings {
                    require_for_session: false,
                    renew_after_months: 12,
                },
            )?;
            let mut out = std::io::stdout().lock();
            let mut say = |line: String| {
                // Only after the commit returned: what is printed must survive a kill.
                writeln!(out, "{line}")
                    .and_then(|_| out.flush())
                    .map_err(|e| fail(ErrorCode::Io, None, e.to_string()))
            };
            for i in 0..*count {
                let p = clinic.create_patient(actor, &people[(i % 256) as usize])?;
                say(format!("committed {}", p.id))?;
                let r = dermis_clinic::demo::record_first_session(clinic, actor, p.id, today)?;
                say(format!("committed session {r}"))?;
            }
            Ok(())
        }
        Command::Backup {
            action: Some(BackupCommand::Inspect { file }),
            ..
        } => {
            let b = if clinic.server_url().is_some() {
                let (recovery, pw) = (
                    std::env::var("DERMIS_RECOVERY_KEY").ok(),
                    signed_in_password()?,
                );
                clinic.inspect_server_dump(actor, file, &unlock(&recovery, &pw))?
            } else {
                clinic.inspect_backup(actor, file)?
            };
            print(json, &b, |b| {
                format!(
                    "The backup {} checks out ({} patients, {} sessions, {:.1} MB).",
                    b.path,
                    b.patients,
                    b.sessions,
                    b.bytes as f64 / 1e6
                )
            })
        }
        Command::Backup { out, .. } => {
            let out = out.as_ref().ok_or_else(|| {
                fail(
                    ErrorCode::Validation,
                    Some("out"),
                    "Say where to write the backup: --out FILE (or `backup inspect --file FILE`).",
                )
            })?;
            let b = clinic.backup(actor, out)?;
            let server = clinic.server_url().is_some();
            print(json, &b, |b| {
                format!(
                    "Backup written and verified: {} ({} patients, {} sessions, {:.1} MB).{}",
                    b.path,
                    b.patients,
                    b.sessions,
                    b.bytes as f64 / 1e6,
                    if server { SEALED_CHECKS } else { "" }
                )
            })
        }
        Command::Restore { from, yes } => {
            let server = clinic.server_url().is_some();
            let recovery = std::env::var("DERMIS_RECOVERY_KEY").ok();
            let pw = if server {
                signed_in_password()?
            } else {
                String::new()
            };
            // The restore checks the file itself; inspect first only to ask.
            if !yes {
                let b = if server {
                    clinic.inspect_server_dump(actor, from, &unlock(&recovery, &pw))?
                } else {
                    clinic.inspect_backup(actor, from)?
                };
                if !confirm(&format!(
                    "Replace the clinic's data with {} ({} patients, {} sessions)? The current data is kept first. [y/N] ",
                    b.path, b.patients, b.sessions
                )) {
                    return Err(fail(ErrorCode::Conflict, Some("yes"), "Nothing was restored: not confirmed (use --yes in scripts)."));
                }
            }
            if let Some(url) = clinic.server_url() {
                // The clinic server: the setup user (named in the URL) replaces
                // its data, the audit log included; the admin signed in above.
                let setup = setup_password(&url)?;
                let r = clinic.restore_server(
                    actor,
                    from,
                    setup.as_deref(),
                    &unlock(&recovery, &pw),
                )?;
                return print(json, &r, |r| {
                    let mut s = format!(
                        "Restored {} onto the clinic server ({} patients); the data as it was is kept in {}.",
                        r.restored.path, r.restored.patients, r.kept.path
                    );
                    if !r.need_password_reset.is_empty() {
                        s.push_str(&format!(
                            "\nThese accounts need a password reset by an admin before they can sign in: {}.",
                            r.need_password_reset.join(", ")
                        ));
                    }
                    if !r.disabled_logins.is_empty() {
                        s.push_str(&format!(
                            "\nThe backup does not hold these accounts; their logins were disabled: {}.",
                            r.disabled_logins.join(", ")
                        ));
                    }
                    s
                });
            }
            let r = clinic.restore(actor, from)?;
            print(json, &r, |r| {
                format!("Restored {} ({} patients).", r.path, r.patients)
            })
        }
        Command::User(cmd) => admin::user(clinic, actor, cmd, json),
        Command::Audit(cmd) => admin::audit(clinic, actor, cmd, json),
        Command::Plan(cmd) => clinical::plan(clinic, actor, cmd, json),
        Command::Appointment(cmd) => calendar::appointment(clinic, actor, cmd, json),
        Command::Calendar { from, to } => calendar::calendar(clinic, actor, from, to, json),
        Command::Rooms(cmd) => calendar::rooms(clinic, actor, cmd, json),
        Command::Screening(cmd) => {
            clinical::screening(clinic, actor, cmd, json, &clinic.today().to_string())
        }
        Command::Assessment(cmd) => {
            clinical::assessment(clinic, actor, cmd, json, &clinic.today().to_string())
        }
        Command::Session(cmd) => {
            sessions::session(clinic, actor, cmd, json, &clinic.today().to_string())
        }
        Command::Photo(cmd) => sessions::photo(clinic, actor, cmd, json),
        Command::Lots(cmd) => recalls::lots(clinic, actor, cmd, json),
        Command::Recalls { action } => recalls::recalls(clinic, actor, action.as_ref(), json),
        Command::Consent(cmd) => consent::consent(clinic, actor, cmd, json),
        Command::AdverseEvents {
            kind,
            from,
            to,
            lot,
            out,
        } => {
            let filter = dermis_clinic::core::session::AdverseEventFilter {
                kind: kind
                    .as_deref()
                    .map(|k| clinical::word("kind", k))
                    .transpose()?,
                from: from.clone(),
                to: to.clone(),
                lot: lot.clone(),
            };
            sessions::adverse_events(clinic, actor, &filter, out.as_deref(), json)
        }
        Command::Init { .. }
        | Command::Demo { .. }
        | Command::Copy { .. }
        | Command::ServerFingerprint { .. }
        | Command::Encrypt { .. }
        | Command::Recover { .. } => Err(fail(
            ErrorCode::Internal,
            None,
            "this command does not run as a signed-in user",
        )),
        Command::ServerBackup { .. } => Err(not_on_a_file()),
        Command::ServerBackupKey => {
            if clinic.server_url().is_none() {
                return Err(backup_key_not_on_a_file());
            }
            let recovery = std::env::var("DERMIS_RECOVERY_KEY").ok();
            let r = clinic.ensure_dump_key(actor, &signed_in_password()?, recovery.as_deref())?;
            print(json, &r, |r| {
                match &r.recovery_key {
                Some(key) => format!(
                    "The clinic server's backup key was made (fingerprint {}). Its backup recovery key, shown this once:\n\n    {key}\n\nWrite it down and keep it in the clinic's safe: with it (or an admin's password) the server's backups can be restored.",
                    r.fingerprint
                ),
                None if r.wrapped_for_you => format!(
                    "The clinic server has its backup key (fingerprint {}); your password opens it.",
                    r.fingerprint
                ),
                None => format!(
                    "The clinic server has its backup key (fingerprint {}); you hold no copy: run this again with DERMIS_RECOVERY_KEY set to get one.",
                    r.fingerprint
                ),
            }
            })
        }
    }
}

/// `server-backup-key` on a server that already has its key, checked as the
/// setup user before anyone signs in: says so, changes nothing, exits 0
/// (true). Done when the setup user's password is at hand
/// (DERMIS_SETUP_PASSWORD, as scripts/clinic-server.sh has it) or no --user
/// is given; not with DERMIS_RECOVERY_KEY (an admin getting their own copy
/// signs in). False: go on as the --user admin (who makes the key).
fn backup_key_already_made(cli: &Cli, url: &str) -> Result<bool, ApiError> {
    if std::env::var_os("DERMIS_RECOVERY_KEY").is_some() {
        return Ok(false);
    }
    if std::env::var_os("DERMIS_SETUP_PASSWORD").is_none() && cli.user.is_some() {
        return Ok(false);
    }
    let setup = setup_password(url)?;
    let found = match Clinic::server_backup_key_fingerprint(url, setup.as_deref()) {
        Ok(found) => found,
        // The admin's own sign-in, next, says what is wrong (or makes the key).
        Err(_) if cli.user.is_some() => return Ok(false),
        Err(e) => {
            let place = dermis_clinic::redact_url(url);
            return Err(match e.code() {
                ErrorCode::Unavailable => fail(
                    ErrorCode::Unavailable,
                    Some("db"),
                    format!(
                        "The clinic server {place} is not answering: check that the server PC is on and \
                         that this is its address, then run this again. Nothing was changed."
                    ),
                ),
                ErrorCode::Forbidden => fail(
                    ErrorCode::Forbidden,
                    Some("setup_password"),
                    format!(
                        "The clinic server {place} refused the setup user's password (DERMIS_SETUP_PASSWORD; \
                         on the server PC it is in /etc/dermis-server/setup.env). Or run this as an admin: \
                         --user NAME. Nothing was changed."
                    ),
                ),
                _ => e.into(),
            });
        }
    };
    match found {
        Some(fingerprint) => print(
            cli.json,
            &serde_json::json!({
                "made": false,
                "already": true,
                "recovery_key": null,
                "fingerprint": fingerprint,
            }),
            |_| {
                format!(
                    "The clinic server already has its backup key (fingerprint {fingerprint}): nothing was changed.\n\
                     Its backups are sealed to it. An admin without a copy of it gets one with\n\
                     DERMIS_RECOVERY_KEY=<the backup recovery key> dermis --user NAME server-backup-key"
                )
            },
        )
        .map(|()| true),
        None if cli.user.is_none() => Err(fail(
            ErrorCode::Validation,
            Some("user"),
            "The clinic server has no backup key yet, so its backups are refused. An admin makes it once: \
             dermis --db <this address> --user NAME server-backup-key (it asks for their password and shows \
             the backup recovery key to keep in the clinic's safe).",
        )),
        None => Ok(false),
    }
}

/// What opens a sealed server dump: the backup recovery key when given
/// (DERMIS_RECOVERY_KEY), else the signed-in admin's password.
fn unlock<'a>(recovery: &'a Option<String>, password: &'a str) -> dermis_clinic::DumpUnlock<'a> {
    match recovery {
        Some(k) => dermis_clinic::DumpUnlock::Recovery(k),
        None => dermis_clinic::DumpUnlock::Password(password),
    }
}

/// What the check of a sealed server dump established (said after it).
const SEALED_CHECKS: &str = "\nSealed to the clinic's backup key; checked: the dump restored into a scratch database as it was sealed (every table's rows and the audit head equal the server's at the dump's moment), and the sealed file read back whole (addressed to this clinic's key, well-formed to its last frame, byte for byte what was written: the same SHA-256). Its content is opened only with an admin's password or the backup recovery key.";

/// The password the signed-in person gave (the clinic server's commands
/// keep it for opening the backup key).
static SIGNED_IN: std::sync::OnceLock<String> = std::sync::OnceLock::new();

fn signed_in_password() -> Result<String, ApiError> {
    SIGNED_IN.get().cloned().ok_or_else(|| {
        fail(
            ErrorCode::Validation,
            Some("db"),
            "This needs the clinic server (--db postgresql://…) and an admin signed in.",
        )
    })
}

/// "screenings 2, plans 1" (or "nothing recorded").
fn merge_counts_text(moves: &[dermis_clinic::MergeCount]) -> String {
    if moves.is_empty() {
        return "nothing recorded".into();
    }
    moves
        .iter()
        .map(|m| format!("{} {}", m.what, m.count))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn resolve_patient_id(
    clinic: &Clinic,
    actor: &Actor,
    id: &str,
) -> Result<i64, ApiError> {
    if let Ok(n) = id.trim().parse::<i64>() {
        return Ok(n);
    }
    if let Some(p) = clinic.patient_id_by_number(actor, id)? {
        return Ok(p.0);
    }
    let page = clinic.search_patients(
        actor,
        &PatientSearch {
            query: id.to_string(),
            include_archived: true,
            offset: 0,
            limit: 2,
        },
    )?;
    match page.items.as_slice() {
        [one] if one.patient_number.eq_ignore_ascii_case(id.trim()) => Ok(one.id.0),
        _ => Err(fail(
            ErrorCode::NotFound,
            Some("id"),
            format!("No patient has the number or id \"{id}\"."),
        )),
    }
}

#[derive(Serialize)]
struct DemoReport {
    patients_added: usize,
    patients_total: i64,
    plans_added: usize,
    /// The living clinic (practitioners, rooms, the past three months and
    /// the next four weeks), when this run created the demo clinic.
    clinic: Option<dermis_clinic::demo::LivingClinic>,
    seconds: f64,
    db_path: String,
    db_bytes: u64,
    username: String,
    /// Only when this run created the demo account.
    password: Option<String>,
}

fn demo(
    clinic: &mut Clinic,
    path: &std::path::Path,
    user: Option<&str>,
    json: bool,
    n: usize,
    seed: u64,
) -> Result<(), ApiError> {
    let started = Instant::now();
    let status = clinic.status(None)?;
    let (actor, created_password) = if status.needs_setup {
        let username = user.unwrap_or(DEMO_USER).to_string();
        let password =
            std::env::var("DERMIS_PASSWORD").unwrap_or_else(|_| DEMO_PASSWORD.to_string());
        let s = clinic.setup(&SetupInput {
            clinic_name: "Dermis Demo Clinic".into(),
            clinic_address: "12 Example Street\nSpringfield".into(),
            clinic_phone: "+44 20 7946 0000".into(),
            admin_username: username,
            admin_display_name: "Demo Practitioner".into(),
            password: password.clone(),
        })?;
        (s, Some(password))
    } else {
        (login(clinic, user)?, None)
    };
    let today = clinic.today();
    let all = dermis_clinic::demo::demo_patients(n, seed, today);
    let mut added = 0;
    for chunk in all.chunks(10_000) {
        added += clinic.create_patients_bulk(&actor, chunk)?;
        if !json && n > 10_000 {
            eprintln!("  {added} / {n} patients");
        }
    }
    // Clinical records (screening, assessment, plan) for the first patients, so
    // Today and the calendar have appointments to show.
    let plans = if created_password.is_some() {
        dermis_clinic::demo::add_clinical_demo(clinic, &actor, (n as u32).min(60), seed)?
    } else {
        0
    };
    let living = match &created_password {
        Some(pw) => Some(dermis_clinic::demo::add_living_clinic(
            clinic,
            &actor,
            pw,
            seed,
            std::sync::Arc::new(dermis_clinic::SystemClock),
        )?),
        None => None,
    };
    let total = clinic.patient_count(&actor)?;
    let report = DemoReport {
        patients_added: added,
        patients_total: total,
        plans_added: plans,
        clinic: living,
        seconds: started.elapsed().as_secs_f64(),
        db_path: path.display().to_string(),
        db_bytes: db_size(path),
        username: actor.username.clone(),
        password: created_password,
    };
    print(json, &report, |r| {
        let mut s = format!(
            "Added {} demo patients ({} with a plan) in {:.1} s to {} ({:.1} MB).",
            r.patients_added,
            r.plans_added,
            r.seconds,
            r.db_path,
            r.db_bytes as f64 / 1e6
        );
        if let Some(l) = &r.clinic {
            s.push_str(&format!(
                "\nA living clinic: {} practitioners, {} rooms, {} courses; {} sessions recorded with {} healing reports ({} adverse events), {} assessments, {} photos; {} bookings in the next four weeks; {} recalls due.",
                l.practitioners, l.rooms, l.plans, l.sessions_recorded, l.healing_reports, l.adverse_events, l.assessments, l.photos, l.bookings_ahead, l.recalls_due
            ));
        }
        if let Some(p) = &r.password {
            s.push_str(&format!(
                "\nSign in as \"{}\" with the password \"{p}\" (also \"dr.lindqvist\", practitioner, and \"reception\", receptionist).",
                r.username
            ));
        }
        s
    })
}

/// The database file plus its WAL, in bytes.
fn db_size(path: &std::path::Path) -> u64 {
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    [path.to_path_buf(), wal]
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum()
}
