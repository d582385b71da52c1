/**
 * The local stand-in for API Gateway: routes from the same table as the CDK stack, events in the
 * HTTP API payload format 2.0, and officer JWTs checked with jose against the local signing key
 * (the stand-in for the Cognito authorizer). Logs one line per call: method, route, status, ms.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { pathToFileURL } from "node:url";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { type JWTPayload, jwtVerify } from "jose";
import { ROUTES, type RouteDef } from "../../functions/routes.js";
import type { OfficerKeys } from "./officer-keys.js";

type Handler = (
  event: APIGatewayProxyEventV2,
  context: unknown,
) => Promise<APIGatewayProxyStructuredResultV2>;

const compiled = ROUTES.map((route) => ({
  route,
  pattern: new RegExp(`^${route.path.replace(/\{(\w+)\}/g, "(?<$1>[^/]+)")}$`),
}));

const modules = new Map<string, Promise<Handler>>();
function handlerOf(route: RouteDef): Promise<Handler> {
  let loaded = modules.get(route.entry);
  if (!loaded) {
    loaded = import(pathToFileURL(`${process.cwd()}/${route.entry}`).href).then(
      (m) => m.handler as Handler,
    );
    modules.set(route.entry, loaded);
  }
  return loaded;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
}

export function apiAdapter(
  keys: OfficerKeys,
  extraRoutes: Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void>> = {},
) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const started = Date.now();
    const url = new URL(req.url ?? "/", "http://localhost");
    const method = req.method ?? "GET";
    let status = 500;
    try {
      const extra = extraRoutes[`${method} ${url.pathname}`];
      if (extra) {
        await extra(req, res);
        status = res.statusCode;
        return;
      }
      const match = compiled
        .filter((c) => c.route.method === method)
        .map((c) => {
          const found = c.pattern.exec(url.pathname);
          return found ? { route: c.route, params: found.groups ?? {} } : undefined;
        })
        .find((m) => m !== undefined);
      if (!match) {
        status = 404;
        return send(res, 404, { error: { code: "not-found", message: "No such route" } });
      }
      let claims: JWTPayload | undefined;
      if (match.route.auth === "officer") {
        const token = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ""))?.[1];
        try {
          claims = token
            ? (
                await jwtVerify(token, keys.publicKey, {
                  issuer: keys.issuer,
                  audience: keys.audience,
                })
              ).payload
            : undefined;
        } catch {
          claims = undefined;
        }
        if (!claims) {
          status = 401;
          return send(res, 401, { message: "Unauthorized" });
        }
      }
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [
          k.toLowerCase(),
          Array.isArray(v) ? v.join(",") : String(v),
        ]),
      );
      const body = await readBody(req);
      const routeKey = `${match.route.method} ${match.route.path}`;
      const event = {
        version: "2.0",
        routeKey,
        rawPath: url.pathname,
        rawQueryString: url.searchParams.toString(),
        headers,
        ...(url.searchParams.size
          ? { queryStringParameters: Object.fromEntries(url.searchParams) }
          : {}),
        ...(match.params && Object.keys(match.params).length
          ? { pathParameters: match.params }
          : {}),
        ...(body ? { body } : {}),
        isBase64Encoded: false,
        requestContext: {
          requestId: randomUUID(),
          routeKey,
          stage: "$default",
          time: new Date().toISOString(),
          timeEpoch: Date.now(),
          http: {
            method,
            path: url.pathname,
            protocol: "HTTP/1.1",
            sourceIp: "127.0.0.1",
            userAgent: String(headers["user-agent"] ?? ""),
          },
          ...(claims ? { authorizer: { jwt: { claims, scopes: [] } } } : {}),
        },
      } as unknown as APIGatewayProxyEventV2;
      const result = await (await handlerOf(match.route))(event, {});
      status = result.statusCode ?? 200;
      send(res, status, result.body ?? "", (result.headers ?? {}) as Record<string, string>);
    } catch (error) {
      status = 500;
      console.error(
        JSON.stringify({ level: "ERROR", message: "local-api", error: (error as Error).name }),
      );
      send(res, 500, { error: { code: "internal", message: "Something went wrong" } });
    } finally {
      console.log(
        JSON.stringify({
          level: "INFO",
          message: "http",
          method,
          path: url.pathname.replace(/\/[0-9A-Z]{10}(?=\/|$)/, "/{id}"),
          status,
          ms: Date.now() - started,
        }),
      );
    }
  };
}
