//! `GET /settings`: which providers and switches the server has on.

use crate::http::{Api, ApiCall, HttpTransport, Method};
use crate::types::JsonObject;
use crate::AuthError;

pub(crate) async fn settings<T: HttpTransport>(api: &Api<T>) -> Result<JsonObject, AuthError> {
    api.send_json(ApiCall::new(Method::Get, "/settings")).await
}
