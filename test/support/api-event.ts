/** API Gateway HTTP API (payload 2.0) events, as the real API and the local adapter build them. */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";

export function apiEvent(options: {
  method: "GET" | "POST";
  path: string;
  routeKey?: string;
  id?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  officer?: string;
}): APIGatewayProxyEventV2 {
  const event = {
    version: "2.0",
    routeKey: options.routeKey ?? `${options.method} ${options.path}`,
    rawPath: options.path,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: { "content-type": "application/json", ...options.headers },
    ...(options.query ? { queryStringParameters: options.query } : {}),
    ...(options.id ? { pathParameters: { id: options.id } } : {}),
    body:
      options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    isBase64Encoded: false,
    requestContext: {
      requestId: "test-request",
      routeKey: options.routeKey ?? `${options.method} ${options.path}`,
      http: {
        method: options.method,
        path: options.path,
        protocol: "HTTP/1.1",
        sourceIp: "127.0.0.1",
        userAgent: "test",
      },
      ...(options.officer
        ? { authorizer: { jwt: { claims: { sub: options.officer }, scopes: [] } } }
        : {}),
    },
  };
  return event as unknown as APIGatewayProxyEventV2;
}

export type Invocable = (event: APIGatewayProxyEventV2, context: never) => Promise<unknown>;

export async function invoke(handler: unknown, event: APIGatewayProxyEventV2) {
  const result = (await (handler as Invocable)(
    event,
    {} as never,
  )) as APIGatewayProxyStructuredResultV2;
  return {
    statusCode: result.statusCode ?? 0,
    /** Lower-cased, as HTTP treats header names. */
    headers: Object.fromEntries(
      Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
    ),
    body: result.body ? (JSON.parse(result.body) as Record<string, unknown>) : {},
  };
}
