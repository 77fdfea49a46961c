"""The API's description in the OpenAPI document: how to use it, and where it differs
on purpose from the original FarLab API it stays compatible with."""

DESCRIPTION = """
FarLab's REST API: the parts, instruments, stock and alerts of a lab. The original web UI
runs against it unchanged: the same paths (with their trailing slashes; a path without one
answers 307 to it), bodies, field names and status codes. Datetimes are ISO 8601 in UTC
with microseconds and a `Z`.

**Signing in.** `POST {prefix}/token` with a form body (`username`, `password`) gives a
bearer token (30 minutes by default). Send it as `Authorization: Bearer <token>`.

**Roles.** Every account has a role, and the same role table rules Slack and this API:
members view, take, restock and count stock; managers also create, change and delete
parts and instruments, link them, set instrument status and handle alerts; admins also
manage accounts. A refused action is a 403 that names the role.

**Open routes.** Reading instruments, parts and alerts needs no token, as before: without
a valid token (none, or an expired one) these routes answer as an anonymous viewer, who
can only read. Every other route needs a token.

**Errors.** Every error is JSON: `{"detail": "<sentence>"}`, or for a refused value the
pydantic v2 list `{"detail": [{"type", "loc", "msg"}]}` with status 422. A server bug is
a JSON 500, never plain text. 401 answers carry `WWW-Authenticate: Bearer`.

**Text.** No text (a body field, `q`, the sign-in form) may hold NUL or an unpaired
surrogate such as `"\\ud800"`: a 422 naming the field. Names, numbers, places, models,
usernames, e-mail addresses and profile fields are one line: control characters and line
breaks (also U+2028, U+2029) are a 422. Descriptions, notes, reasons and alert messages
keep newlines and tabs. Snoozes are at most 30 days; that is checked after the role.

**Where it differs from the original API, on purpose:**

- Errors that were plain-text 500s are 4xx with a message: a missing part `name` (422),
  a taken number, name or serial number (409), taking more stock than there is (409,
  naming what is available), a negative `skip`/`limit` (422).
- `GET {prefix}/users/` works, `skip`/`limit` at a time.
- The stock `reason` is kept in the stock ledger with source `api`; so is a changed
  `quantity_in_stock` sent with `PATCH {prefix}/parts/{id}` (as a count).
  `GET {prefix}/parts/{id}/history` reads the ledger.
- Lists take `skip`/`limit`. Parts and instruments default to 1000 at a time (a whole
  lab), alerts to 100, search to 50 (up to 200 with `limit`), users to 10.
- Added read-only fields follow the original ones: `unit_of_measure`, `location` and
  `is_critical` on parts; `status` on instruments; `role` on users; `kind`, `status`,
  `severity` and more on alerts; how many an instrument needs on links.
- Added routes: acknowledge, resolve and snooze an alert; set an instrument's status.
- Permissions follow the roles above: creating and changing parts and instruments, and
  linking them (also through the doubled `instruments/instruments` path, which was open),
  needs a manager; deleting them needs a manager rather than an admin.
- `POST {prefix}/users/` ignores `is_admin`; the added `role` field (default member) sets
  the new account's role.
- Linking a part that is linked already is a 409 everywhere; removing a link deletes it,
  so it can be made again. `?instrument_id=` lists only parts linked now.
- `GET {prefix}/alerts/low-stock` uses the rule behind `is_low_stock`: active parts at or
  below a minimum above zero.
- An expired token answers 401 `Token has expired`; other bad tokens `Could not validate
  credentials`. Admins deleting their own account get 403.
- Tokens can be revoked: a token answers 401 once its account's password changes (the
  token that changed it included: sign in again), once the account is deactivated (403
  while it is, 401 after reactivation), or once an admin signs the account out
  everywhere with the added `POST {prefix}/users/{id}/sign-out-everywhere`. An id is
  never given to another account, so a deleted account's token never acts as a new one.
- A stock change of 0 is a 422. A repeated `quantity_in_stock` in a part edit writes no
  ledger row.

**Ordering (added).** Suppliers (`{prefix}/suppliers`), a part's supplier offers and
reorder levels (`{prefix}/parts/{id}/offers`, `.../reorder-levels`) and reorder requests
(`{prefix}/orders`), with the same state machine and roles as Slack: members request and
read; managers approve, reject, edit, mark ordered, receive and cancel, and manage
suppliers and offers. Orders go requested -> approved | rejected; approved -> ordered |
cancelled; ordered -> received (in one or more receipts) | cancelled: any other step is
a 409 naming the order's state now. Suppliers are never deleted: `PATCH` with
`is_active: false` deactivates one. Prices are decimal strings (`"12.50"`) beside an ISO
4217 `currency`; bodies may send them as numbers or strings. Receiving more than is still
to come is a 422 on `quantity` until sent again with `confirm_over: true`.

**Usage and forecasts (added).** `GET {prefix}/parts/{id}/usage` and
`{prefix}/instruments/{id}/usage` give the takes per `period` (`day`, `week` or `month`,
in UTC) over the last `weeks` weeks (1-104) as JSON, and `.../usage/chart` the same as an
800x400 PNG. Only takes are usage: restocks, counts, imports and receipts are not; counts'
differences are shrinkage (`{prefix}/usage/shrinkage`). `{prefix}/usage/parts`,
`.../instruments` and `.../people` (managers: it is about people) cover `since` to
`until` (days, both included; the last 4 weeks by default). `GET {prefix}/parts/{id}/forecast`
gives the weekly rate, the days left, the run-out date and the suggested minimum (usage
over the lead time plus safety stock for a 95% service level), or says there is too
little history. Managers list the minimums far from their suggestion
(`{prefix}/forecasts/minimums`) and accept one with
`POST {prefix}/parts/{id}/minimum/accept` and `{"suggested": N}` as shown: a 409 when the
suggestion has changed since.
"""

TAGS = [
    {"name": "auth", "description": "Signing in, and token checks."},
    {"name": "users", "description": "Your account; account administration (admins)."},
    {"name": "instruments", "description": "Instruments and the parts they need."},
    {"name": "parts", "description": "Parts, their stock, links and ledger."},
    {"name": "alerts", "description": "Low-stock and other alerts."},
    {
        "name": "suppliers",
        "description": "Where parts are bought: suppliers (never deleted, deactivated), a "
        "part's offers (price per pack, pack size, minimum order, lead time) and how much "
        "a reorder asks for.",
    },
    {
        "name": "orders",
        "description": "Reorder requests from request to receipt: approve, reject, edit, "
        "mark ordered, receive (in parts), cancel; each with its timeline.",
    },
    {
        "name": "usage",
        "description": "What was taken per part, instrument and person, with cost and "
        "shrinkage; a part's or an instrument's usage as a PNG chart.",
    },
    {
        "name": "forecasts",
        "description": "A part's run-out forecast; minimums far from their suggestion, and "
        "accepting one (managers).",
    },
    {"name": "health", "description": "Is the service up."},
]
