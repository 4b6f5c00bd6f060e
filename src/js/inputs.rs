//! auth-js's argument shapes, read from the JSON the facade sends and turned into the Rust
//! request types.

use crate::api::{SignInWithOAuthCredentials, SignOutScope};
use crate::json::{Fields, FromJson};
use crate::{AuthError, JsonObject, JsonValue};

/// A method's positional arguments (`JSON.stringify([...arguments])`).
pub(super) struct Args(Vec<JsonValue>);

impl Args {
    /// Text that is not a JSON array reads as no arguments.
    pub(super) fn parse(text: &str) -> Args {
        match crate::json::parse(text) {
            Ok(JsonValue::Array(items)) => Args(items),
            _ => Args(Vec::new()),
        }
    }

    /// Argument `index` as it came (`null` when missing).
    pub(super) fn value(&self, index: usize) -> &JsonValue {
        const NULL: &JsonValue = &JsonValue::Null;
        self.0.get(index).unwrap_or(NULL)
    }

    /// Argument `index`, which must be an object.
    pub(super) fn object(&self, index: usize) -> Result<Fields<'_>, AuthError> {
        Fields::of(self.value(index), "").map_err(|_| AuthError::invalid_credentials("expected an object"))
    }

    /// Argument `index`: an object, or nothing (`undefined` / `null`).
    pub(super) fn optional_object(&self, index: usize) -> Result<Option<Fields<'_>>, AuthError> {
        match self.value(index) {
            JsonValue::Null => Ok(None),
            _ => self.object(index).map(Some),
        }
    }

    /// Argument `index`, which must be a string named `name` in the method's signature.
    pub(super) fn string(&self, index: usize, name: &str) -> Result<String, AuthError> {
        self.optional_string(index, name)?.ok_or_else(|| wrong_type(name, "a string"))
    }

    /// Argument `index`: a string, or nothing.
    pub(super) fn optional_string(&self, index: usize, name: &str) -> Result<Option<String>, AuthError> {
        match self.value(index) {
            JsonValue::Null => Ok(None),
            JsonValue::String(text) => Ok(Some(text.clone())),
            _ => Err(wrong_type(name, "a string")),
        }
    }
}

fn wrong_type(key: &str, what: &str) -> AuthError {
    let mut message = String::from(key);
    message.push_str(" must be ");
    message.push_str(what);
    AuthError::invalid_credentials(message)
}

fn read<T: FromJson>(object: &Fields<'_>, key: &'static str, what: &str) -> Result<Option<T>, AuthError> {
    object.opt(key).map_err(|_| wrong_type(key, what))
}

pub(super) fn opt_str(object: &Fields<'_>, key: &'static str) -> Result<Option<String>, AuthError> {
    read(object, key, "a string")
}

pub(super) fn req_str(object: &Fields<'_>, key: &'static str) -> Result<String, AuthError> {
    opt_str(object, key)?.ok_or_else(|| wrong_type(key, "a string"))
}

pub(super) fn opt_bool(object: &Fields<'_>, key: &'static str) -> Result<Option<bool>, AuthError> {
    read(object, key, "a boolean")
}

pub(super) fn opt_object(object: &Fields<'_>, key: &'static str) -> Result<Option<JsonObject>, AuthError> {
    read(object, key, "an object")
}

/// The nested object `key` (e.g. `options`), if there is one.
pub(super) fn nested<'a>(object: &Fields<'a>, key: &'static str) -> Result<Option<Fields<'a>>, AuthError> {
    match object.get(key) {
        None => Ok(None),
        Some(value) => Fields::of(value, key).map(Some).map_err(|_| wrong_type(key, "an object")),
    }
}

pub(super) fn sign_out_scope(object: Result<Option<Fields<'_>>, AuthError>) -> Result<SignOutScope, AuthError> {
    let scope = match object? {
        Some(o) => opt_str(&o, "scope")?,
        None => None,
    };
    match scope.as_deref() {
        None | Some("global") => Ok(SignOutScope::Global),
        Some("local") => Ok(SignOutScope::Local),
        Some("others") => Ok(SignOutScope::Others),
        Some(_) => Err(AuthError::invalid_credentials("scope must be \"global\", \"local\" or \"others\"")),
    }
}

/// `{ provider, options: { redirectTo, scopes, queryParams, skipBrowserRedirect } }`.
pub(super) fn oauth(object: Result<Fields<'_>, AuthError>) -> Result<SignInWithOAuthCredentials, AuthError> {
    let object = object?;
    let mut credentials = SignInWithOAuthCredentials::new(req_str(&object, "provider")?);
    if let Some(o) = nested(&object, "options")? {
        if let Some(url) = opt_str(&o, "redirectTo")? {
            credentials = credentials.redirect_to(url);
        }
        if let Some(scopes) = opt_str(&o, "scopes")? {
            credentials = credentials.scopes(scopes);
        }
        if let Some(params) = opt_object(&o, "queryParams")? {
            for (key, value) in params {
                if let JsonValue::String(value) = value {
                    credentials = credentials.query_param(key, value);
                }
            }
        }
        credentials = credentials.skip_browser_redirect(opt_bool(&o, "skipBrowserRedirect")?.unwrap_or(false));
    }
    Ok(credentials)
}
