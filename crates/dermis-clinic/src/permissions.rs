//! The one place that says which role may do what (PRODUCT.md section 6).

use dermis_core::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    FindPatients,
    ViewPatient,
    CreatePatient,
    EditPatient,
    ArchivePatient,
    GenerateDemoData,
    ReadAuditLog,
}

impl Action {
    pub fn allowed_roles(self) -> &'static [Role] {
        use Role::*;
        match self {
            Action::FindPatients
            | Action::ViewPatient
            | Action::CreatePatient
            | Action::EditPatient => &[Admin, Practitioner, Receptionist],
            Action::ArchivePatient => &[Admin, Practitioner, Receptionist],
            Action::GenerateDemoData | Action::ReadAuditLog => &[Admin],
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Action::FindPatients => "search patients",
            Action::ViewPatient => "open patient records",
            Action::CreatePatient => "register patients",
            Action::EditPatient => "change patient details",
            Action::ArchivePatient => "archive patients",
            Action::GenerateDemoData => "generate demo data",
            Action::ReadAuditLog => "read the audit log",
        }
    }
}
