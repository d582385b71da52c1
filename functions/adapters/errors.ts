/** Errors of the storage adapters. The HTTP layer maps ConcurrentUpdateError to 409. */
export class RequestExistsError extends Error {
  override readonly name = "RequestExistsError";
  constructor(readonly requestId: string) {
    super(`Request ${requestId} already exists`);
  }
}

/** Someone else changed the request since it was read (optimistic concurrency). */
export class ConcurrentUpdateError extends Error {
  override readonly name = "ConcurrentUpdateError";
  constructor(readonly requestId: string) {
    super(`Request ${requestId} was changed by someone else; reload and try again`);
  }
}

export class InvalidCursorError extends Error {
  override readonly name = "InvalidCursorError";
  constructor() {
    super("cursor is not one this API returned");
  }
}
