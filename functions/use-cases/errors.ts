/**
 * Errors the use cases raise. The HTTP layer (functions/http) maps each to a status code:
 * RequestNotFoundError 404, StatusTokenError 401/403, ConflictError 409, InvalidInputError 400.
 * The domain's TransitionError and the store's ConcurrentUpdateError also map to 409.
 */
export class RequestNotFoundError extends Error {
  override readonly name = "RequestNotFoundError";
  constructor(readonly requestId: string) {
    super(`No request ${requestId}`);
  }
}

/** Missing (401) or wrong (403) status token. A token for one request never opens another. */
export class StatusTokenError extends Error {
  override readonly name = "StatusTokenError";
  constructor(readonly reason: "missing" | "invalid") {
    super(
      reason === "missing"
        ? "A status token is required"
        : "The status token does not open this request",
    );
  }
}

/** A request that cannot be honoured as asked, e.g. an Idempotency-Key reused with another body. */
export class ConflictError extends Error {
  override readonly name = "ConflictError";
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Input that passed the schema but breaks a rule; `field` is the JSON path of the culprit. */
export class InvalidInputError extends Error {
  override readonly name = "InvalidInputError";
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
