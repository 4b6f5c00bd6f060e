//! MFA recovery codes (auth-js's experimental `mfa.recoveryCodes` namespace): status, a new set,
//! redeeming one code for an AAL2 session, rotating and removing the set.

use super::ops;
use crate::http::{Api, HttpTransport};
use crate::json::{Fields, FromJson, JsonError, ObjectWriter, ToJson};
use crate::types::{JsonValue, TokenResponse};
use crate::AuthError;

/// Where the user's recovery codes stand; never the codes themselves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecoveryCodesStatus {
    /// The recovery-codes factor's id.
    pub id: String,
    /// `recovery_code`.
    pub factor_type: String,
    /// Codes in the current set.
    pub total: i64,
    /// Codes not used yet.
    pub remaining: i64,
}

/// A new set of codes, shown this once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecoveryCodes {
    /// The recovery-codes factor's id.
    pub id: String,
    /// `recovery_code`.
    pub factor_type: String,
    /// The factor's name.
    pub friendly_name: Option<String>,
    /// Codes in the set.
    pub total: i64,
    /// The codes, for the user to keep.
    pub codes: Vec<String>,
}

impl FromJson for RecoveryCodesStatus {
    fn from_json(value: &JsonValue) -> Result<Self, JsonError> {
        let fields = Fields::of(value, "recovery codes status")?;
        Ok(RecoveryCodesStatus {
            id: fields.req("id")?,
            factor_type: fields.or_default("type")?,
            total: fields.or_default("total")?,
            remaining: fields.or_default("remaining")?,
        })
    }
}

impl ToJson for RecoveryCodesStatus {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object
            .field("id", &self.id)
            .field("type", &self.factor_type)
            .field("total", &self.total)
            .field("remaining", &self.remaining);
        object.finish();
    }
}

impl FromJson for RecoveryCodes {
    fn from_json(value: &JsonValue) -> Result<Self, JsonError> {
        let fields = Fields::of(value, "recovery codes")?;
        Ok(RecoveryCodes {
            id: fields.req("id")?,
            factor_type: fields.or_default("type")?,
            friendly_name: fields.opt("friendly_name")?,
            total: fields.or_default("total")?,
            codes: fields.or_default("codes")?,
        })
    }
}

impl ToJson for RecoveryCodes {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object
            .field("id", &self.id)
            .field("type", &self.factor_type)
            .opt("friendly_name", &self.friendly_name)
            .field("total", &self.total)
            .field("codes", &self.codes);
        object.finish();
    }
}

/// `{ id }` of the removed factor.
struct Removed(String);

impl FromJson for Removed {
    fn from_json(value: &JsonValue) -> Result<Self, JsonError> {
        Ok(Removed(Fields::of(value, "answer")?.req("id")?))
    }
}

pub(crate) async fn status<T: HttpTransport>(
    api: &Api<T>,
    access_token: &str,
) -> Result<RecoveryCodesStatus, AuthError> {
    api.send_json(ops::RECOVERY_CODES_STATUS.call(&[]).bearer(access_token)).await
}

pub(crate) async fn generate<T: HttpTransport>(
    api: &Api<T>,
    access_token: &str,
    friendly_name: Option<&str>,
) -> Result<RecoveryCodes, AuthError> {
    struct Body<'a> {
        friendly_name: &'a str,
    }
    impl ToJson for Body<'_> {
        fn write_json(&self, out: &mut String) {
            let mut object = ObjectWriter::new(out);
            object.field("friendly_name", self.friendly_name);
            object.finish();
        }
    }
    let mut call = ops::RECOVERY_CODES_GENERATE.call(&[]).bearer(access_token);
    // As auth-js: a body only when a name was given.
    if let Some(friendly_name) = friendly_name.filter(|name| !name.is_empty()) {
        call = call.json(&Body { friendly_name });
    }
    api.send_json(call).await
}

pub(crate) async fn verify<T: HttpTransport>(
    api: &Api<T>,
    access_token: &str,
    code: &str,
) -> Result<TokenResponse, AuthError> {
    struct Body<'a> {
        code: &'a str,
    }
    impl ToJson for Body<'_> {
        fn write_json(&self, out: &mut String) {
            let mut object = ObjectWriter::new(out);
            object.field("code", self.code);
            object.finish();
        }
    }
    api.send_json(ops::RECOVERY_CODES_VERIFY.call(&[]).bearer(access_token).json(&Body { code })).await
}

pub(crate) async fn regenerate<T: HttpTransport>(api: &Api<T>, access_token: &str) -> Result<RecoveryCodes, AuthError> {
    api.send_json(ops::RECOVERY_CODES_REGENERATE.call(&[]).bearer(access_token)).await
}

pub(crate) async fn unenroll<T: HttpTransport>(api: &Api<T>, access_token: &str) -> Result<String, AuthError> {
    let removed: Removed = api.send_json(ops::RECOVERY_CODES_UNENROLL.call(&[]).bearer(access_token)).await?;
    Ok(removed.0)
}
