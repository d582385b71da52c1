/** Every error a use case can raise, mapped to the API's error body and status. */
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { ConcurrentUpdateError, InvalidCursorError } from "../adapters/errors.js";
import { TransitionError } from "../domain/commands.js";
import { InvalidDeadlineInputError } from "../domain/deadlines.js";
import {
  ConflictError,
  InvalidInputError,
  RequestNotFoundError,
  StatusTokenError,
} from "../use-cases/errors.js";
import { logError } from "./log.js";

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly issues?: { path: string; message: string }[],
  ) {
    super(message);
    this.name = "HttpError";
  }
}

interface ErrorBody {
  code: string;
  message: string;
  issues?: { path: string; message: string }[];
}

/** Transition refusals caused by what was asked (400) rather than by where the request stands (409). */
const BAD_INPUT_TRANSITIONS = new Set(["invalid-fee", "invalid-extension", "reason-required"]);

const badInput = (path: string, message: string): [number, ErrorBody] => [
  400,
  { code: "invalid-request", message, issues: [{ path, message }] },
];

function classify(error: unknown): [number, ErrorBody] {
  if (error instanceof HttpError) {
    return [
      error.statusCode,
      {
        code: error.code,
        message: error.message,
        ...(error.issues ? { issues: error.issues } : {}),
      },
    ];
  }
  if (error instanceof RequestNotFoundError)
    return [404, { code: "not-found", message: "No such request" }];
  if (error instanceof StatusTokenError) {
    return [
      error.reason === "missing" ? 401 : 403,
      { code: `status-token-${error.reason}`, message: error.message },
    ];
  }
  if (error instanceof ConflictError) return [409, { code: error.code, message: error.message }];
  if (error instanceof ConcurrentUpdateError) {
    return [409, { code: "concurrent-update", message: error.message }];
  }
  if (error instanceof InvalidInputError || error instanceof InvalidDeadlineInputError) {
    return badInput(error.field, error.message);
  }
  if (error instanceof InvalidCursorError) return badInput("cursor", error.message);
  if (error instanceof TransitionError) {
    return [
      BAD_INPUT_TRANSITIONS.has(error.code) ? 400 : 409,
      { code: error.code, message: error.message },
    ];
  }
  return [500, { code: "internal", message: "Something went wrong on our side" }];
}

export function errorResponse(
  error: unknown,
  awsRequestId?: string,
): APIGatewayProxyStructuredResultV2 {
  const [statusCode, body] = classify(error);
  if (statusCode >= 500) {
    // The error's message may quote input: log its name only.
    logError("unhandled", {
      error: (error as Error | undefined)?.name ?? typeof error,
      awsRequestId,
    });
  }
  return {
    statusCode,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ error: body }),
  };
}
