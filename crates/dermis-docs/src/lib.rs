//! Dermis printable documents: the aftercare sheet, the progress summary, the
//! schedule card and the batch of today's aftercare sheets, as PDF bytes.
//!
//! Why it is built this way:
//! - **Any script.** Patient names come in every script. Text is shaped with
//!   rustybuzz and drawn by glyph id (Arabic joined and right to left, Hebrew,
//!   CJK), with a font chosen per run from fonts compiled into the binary
//!   ([`fonts`](crate::fonts) module docs); every font is embedded and subset.
//! - **Never off the page.** Every box knows its size; text that is too long
//!   is wrapped, then shrunk, then cut with an ellipsis as a last resort. The
//!   aftercare sheet is one page whatever the input.
//! - **Same input, same bytes.** No clock, no random ids: dates come from the
//!   input's `generated_on`, the document id from a hash of the content
//!   ([`canvas`](crate::canvas) module docs). Reprinting gives an identical file.
//! - **The patient's language.** Every document is printed in one of
//!   [`Language::ALL`] (English, French, Spanish, German, Italian,
//!   Portuguese, Arabic): fixed sentences from Fluent files, dates and numbers
//!   from ICU4X, and Arabic pages laid out right to left ([`lang`] module docs).
//! - **Fast.** Fonts are parsed once per process and their subsets kept
//!   between documents ([`fonts`](crate::fonts) module docs); a sheet takes a
//!   few milliseconds, so a day's batch prints at once.
//!
//! The inputs ([`model`]) are plain serde structs independent of the database.

mod canvas;
mod common;
pub mod dates;
mod error;
mod fonts;
mod images;
pub mod lang;
pub mod model;
pub mod samples;
pub mod template;
mod text;

mod aftercare;
mod consent;
mod letters;
mod progress;
mod recovery;
mod schedule;

pub use aftercare::{aftercare_batch, aftercare_sheet};
pub use consent::{consent_document, ConsentInput};
pub use dates::AftercareDates;
pub use error::{DocsError, TemplateError};
pub use images::{validate_logo, ImageInfo};
pub use letters::{lot_trace_list, recall_letter};
pub use model::*;
pub use progress::{improvement, progress_summary, Improvement};
pub use recovery::{recovery_sheet, RecoverySheetInput};
pub use schedule::schedule_card;
pub use template::{
    default_aftercare_template, default_aftercare_template_in, validate_template, PLACEHOLDERS,
};

/// The number of pages of a PDF this crate made (0 when it cannot be read).
pub fn page_count(pdf: &[u8]) -> usize {
    lopdf::Document::load_mem(pdf)
        .map(|d| d.get_pages().len())
        .unwrap_or(0)
}
