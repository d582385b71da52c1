/**
 * The edge every API handler shares: a middy chain that normalises headers, parses and validates
 * the JSON body and query with zod, resolves who is calling, and maps every error to
 * `{"error": {code, message, issues?}}` — 4xx for anything the caller got wrong, never a 5xx.
 */
import middy from "@middy/core";
import httpCors from "@middy/http-cors";
import httpHeaderNormalizer from "@middy/http-header-normalizer";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";
import { type ZodTypeAny, z } from "zod";
import type { Actor } from "../domain/model.js";
import type { RouteAuth } from "../routes.js";
import { errorResponse, HttpError } from "./errors.js";
import { logInfo } from "./log.js";

export interface ApiContext<B, Q> {
  body: B;
  query: Q;
  /** The `{id}` path parameter, when the route has one. */
  id: string;
  actor: Actor;
  statusToken?: string;
  idempotencyKey?: string;
  event: APIGatewayProxyEventV2;
}

type Infer<S> = S extends ZodTypeAny ? z.output<S> : undefined;

const idSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{10}$/, "is not a request id");

function parseBody(event: APIGatewayProxyEventV2): unknown {
  if (event.body === undefined || event.body === null || event.body === "") return {};
  const text = event.isBase64Encoded
    ? Buffer.from(event.body, "base64").toString("utf8")
    : event.body;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, "invalid-json", "The request body is not valid JSON");
  }
}

function validate<S extends ZodTypeAny>(schema: S, value: unknown, where: "body" | "query") {
  const result = schema.safeParse(value);
  if (result.success) return result.data as z.output<S>;
  throw new HttpError(
    400,
    "invalid-request",
    `The ${where} is not valid: ${result.error.issues
      .map((i) => `${i.path.join(".") || where}: ${i.message}`)
      .join("; ")}`,
    result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
  );
}

function actorOf(event: APIGatewayProxyEventV2, auth: RouteAuth): Actor {
  if (auth !== "officer") return { kind: "requester" };
  const claims = (
    event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } }
  ).authorizer?.jwt?.claims;
  const subject = claims?.sub ?? claims?.email;
  if (typeof subject !== "string" || subject === "") {
    throw new HttpError(401, "unauthorized", "An officer token is required");
  }
  return { kind: "officer", id: subject };
}

function bearer(event: APIGatewayProxyEventV2): string | undefined {
  const header = event.headers?.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

export function apiHandler<
  BS extends ZodTypeAny | undefined = undefined,
  QS extends ZodTypeAny | undefined = undefined,
>(
  options: { auth: RouteAuth; body?: BS; query?: QS; successStatus?: number },
  fn: (ctx: ApiContext<Infer<BS>, Infer<QS>>) => Promise<unknown>,
) {
  const core = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => {
    const started = Date.now();
    let statusCode = 500;
    try {
      const actor = actorOf(event, options.auth);
      const rawId = event.pathParameters?.id;
      const id = rawId === undefined ? "" : validateId(rawId);
      const body = options.body ? validate(options.body, parseBody(event), "body") : undefined;
      const query = options.query
        ? validate(options.query, event.queryStringParameters ?? {}, "query")
        : undefined;
      const result = await fn({
        body: body as Infer<BS>,
        query: query as Infer<QS>,
        id,
        actor,
        statusToken: options.auth === "status-token" ? bearer(event) : undefined,
        idempotencyKey: event.headers?.["idempotency-key"],
        event,
      });
      statusCode = options.successStatus ?? 200;
      return {
        statusCode,
        headers: { "content-type": "application/json" },
        body: JSON.stringify(result),
      };
    } catch (error) {
      const response = errorResponse(error, event.requestContext?.requestId);
      statusCode = response.statusCode ?? 500;
      return response;
    } finally {
      logInfo("request", {
        route: event.routeKey,
        status: statusCode,
        durationMs: Date.now() - started,
        requestId: event.pathParameters?.id,
      });
    }
  };
  const handler = middy(core).use(httpHeaderNormalizer());
  if (options.auth !== "officer") {
    handler.use(httpCors({ origin: "*", headers: "content-type,authorization,idempotency-key" }));
  }
  return handler;
}

function validateId(id: string): string {
  const parsed = idSchema.safeParse(id.toUpperCase());
  if (!parsed.success) {
    throw new HttpError(404, "not-found", "No such request", [
      { path: "id", message: "is not a request id" },
    ]);
  }
  return parsed.data;
}
