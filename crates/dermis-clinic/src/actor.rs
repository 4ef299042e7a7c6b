//! The signed-in person (the actor) and the roles they act with. Not called
//! "session": in Dermis that word is the treatment visit.

use crate::permissions::Action;
use crate::{ClinicError, Result};
use dermis_core::ids;
use dermis_core::{ActorInfo, Role};
use dermis_store::{AuditEntry, UserRow};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
}

impl Actor {
    pub(crate) fn from_user(u: &UserRow) -> Actor {
        Actor {
            user_id: u.id,
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            roles: u.roles.clone(),
        }
    }

    pub fn info(&self) -> ActorInfo {
        ActorInfo {
            user_id: ids::UserId(self.user_id),
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            roles: self.roles.clone(),
        }
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Refuses `action` unless one of this user's roles allows it.
    pub fn require(&self, action: Action) -> Result<()> {
        if action.allowed_roles().iter().any(|r| self.has_role(*r)) {
            Ok(())
        } else {
            Err(ClinicError::Forbidden(format!(
                "Your account is not allowed to {}. Ask the clinic's administrator.",
                action.describe()
            )))
        }
    }

    pub(crate) fn audit_entry(
        &self,
        at: String,
        action: &str,
        entity: &str,
        entity_id: &str,
        detail: &str,
    ) -> AuditEntry {
        AuditEntry {
            at,
            user_id: Some(self.user_id),
            username: self.username.clone(),
            action: action.to_string(),
            entity: entity.to_string(),
            entity_id: entity_id.to_string(),
            detail: detail.to_string(),
        }
    }
}
