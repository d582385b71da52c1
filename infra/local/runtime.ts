/**
 * The whole system on one machine: dynalite (on disk), the Step Functions engine behind its JSON
 * endpoint, aws-ses-v2-local, s3rver and the API adapter — all on loopback. The handlers' AWS SDK
 * code is unchanged: only the AWS_ENDPOINT_URL_* variables point it here.
 */

import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, renameSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import { Level } from "level";
import S3rver from "s3rver";
import { s3Client } from "../../functions/adapters/clients.js";
import { createTable } from "../../functions/adapters/create-table.js";
import { DynamoDbRequestStore } from "../../functions/adapters/dynamodb-request-store.js";
import { S3DocumentStore } from "../../functions/adapters/s3-document-store.js";
import { feeApplies } from "../../functions/domain/fees.js";
import type { ScanSummary } from "../../functions/handlers/deadline-scanner.handler.js";
import {
  BACKGROUND_FUNCTIONS,
  DEADLINE_SCANNER,
  EMAIL_INTAKE,
  type FunctionDef,
} from "../../functions/routes.js";
import { WAITING_STATE_BY_STATUS } from "../../workflows/request-lifecycle.js";
import { STATE_MACHINE_NAME } from "../stacks/application-stack.js";
import { apiAdapter } from "./api-adapter.js";
import { synthesizedLifecycleDefinition } from "./definition.js";
import { listenOn } from "./listen.js";
import { loadOfficerKeys, signOfficerToken } from "./officer-keys.js";
import { sfnEndpoint } from "./sfn-endpoint.js";
import { startSmtpListener, type Verdicts } from "./smtp-listener.js";
import { LocalStepFunctions } from "./step-functions/local-engine.js";

export interface LocalStackOptions {
  dataDir: string;
  host?: string;
  /** 0 picks a free port. */
  ports: { api: number; mail: number; dynamodb: number; sfn: number; s3: number; smtp?: number };
  /** Verdicts the SMTP listener reports as SES's (default: all PASS). */
  smtpVerdicts?: Partial<Verdicts>;
  /** The EventBridge schedule's stand-in: run the deadline scanner this often (0: never). */
  scanIntervalSeconds?: number;
}

export interface LocalStack {
  urls: { api: string; mail: string; dynamodb: string; sfn: string; s3: string; smtp: string };
  officerToken(email: string): Promise<string>;
  /** One deadline scan as of `at` (default: now), as the schedule would run it. */
  scan(at?: Date): Promise<ScanSummary>;
  stop(): Promise<void>;
}

const TABLE_NAME = "privacy-desk";
const BUCKET_NAME = "privacy-desk-documents";
const STATE_MACHINE_ARN = `arn:aws:states:local:000000000000:stateMachine:${STATE_MACHINE_NAME}`;

async function listen(server: Server, port: number, host: string): Promise<number> {
  await listenOn(server, port, host);
  return (server.address() as AddressInfo).port;
}

const close = (server: Server) => new Promise<void>((r) => server.close(() => r()));

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const host = options.host ?? "127.0.0.1";
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const closers: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
  };
  try {
    // DynamoDB: dynalite on LevelDB under .data/ — a restart keeps every request.
    const dynamoDir = join(dataDir, "dynamodb");
    await checkLevelDb(dynamoDir);
    const dynamo = dynalite({
      path: dynamoDir,
      createTableMs: 0,
      deleteTableMs: 0,
      updateTableMs: 0,
    });
    const dynamoPort = await listen(dynamo, options.ports.dynamodb, host);
    closers.push(() => close(dynamo));
    const dynamoUrl = `http://${host}:${dynamoPort}`;
    const client = new DynamoDBClient({
      endpoint: dynamoUrl,
      region: "local",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    closers.push(async () => client.destroy());
    await createTable(client, TABLE_NAME).catch((error: Error) => {
      throw new DataDirError(`${dynamoDir}: ${error.message}`);
    });

    // SES outbound: the emulator's page shows every mail, /store lists them as JSON.
    // A CommonJS module whose exports carry `default`; loaders differ on unwrapping it.
    type SesFactory = (config: { host: string; port: number }) => Promise<Server>;
    const imported = (await import("aws-ses-v2-local")).default as unknown;
    const sesLocal = (
      typeof imported === "function" ? imported : (imported as { default: unknown }).default
    ) as SesFactory;
    const mail = await sesLocal({ host, port: options.ports.mail });
    closers.push(() => close(mail));
    const mailUrl = `http://${host}:${(mail.address() as AddressInfo).port}`;

    // S3: s3rver with its files under .data/.
    const s3 = new S3rver({
      address: host,
      port: options.ports.s3,
      silent: true,
      directory: join(dataDir, "s3"),
      configureBuckets: [{ name: BUCKET_NAME, configs: [] }],
    });
    const s3Address = (await s3.run()) as AddressInfo;
    closers.push(() => s3.close());
    const s3Url = `http://${host}:${s3Address.port}`;

    const sfnServer = createServer();
    const sfnPort = await listen(sfnServer, options.ports.sfn, host);
    closers.push(() => close(sfnServer));
    const sfnUrl = `http://${host}:${sfnPort}`;

    Object.assign(process.env, {
      AWS_REGION: "ap-southeast-2",
      // s3rver checks signatures against its one key pair; the other emulators accept any key.
      AWS_ACCESS_KEY_ID: "S3RVER",
      AWS_SECRET_ACCESS_KEY: "S3RVER",
      AWS_ENDPOINT_URL_DYNAMODB: dynamoUrl,
      AWS_ENDPOINT_URL_SFN: sfnUrl,
      AWS_ENDPOINT_URL_SESV2: mailUrl,
      AWS_ENDPOINT_URL_S3: s3Url,
      S3_FORCE_PATH_STYLE: "true",
      TABLE_NAME,
      BUCKET_NAME,
      STATE_MACHINE_ARN,
      SENDER_ADDRESS: process.env.SENDER_ADDRESS ?? "privacy@example.com",
      PRIVACY_OFFICER_ADDRESS: process.env.PRIVACY_OFFICER_ADDRESS ?? "privacy-officer@example.com",
      PRIVACY_LEAD_ADDRESS: process.env.PRIVACY_LEAD_ADDRESS ?? "privacy-lead@example.com",
      PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL ?? `http://${host}:${options.ports.api || 3000}`,
      STATUS_TOKEN_SECRET: process.env.STATUS_TOKEN_SECRET ?? "local-only-status-token-secret",
    });

    // Lambda: each function's handler module, imported once, as its bundle would be.
    const handlers = new Map<string, Promise<(event: unknown) => Promise<unknown>>>();
    const invoke = async (fn: FunctionDef, payload: unknown): Promise<unknown> => {
      let handler = handlers.get(fn.entry);
      if (!handler) {
        handler = import(pathToFileURL(join(process.cwd(), fn.entry)).href).then((m) => m.handler);
        handlers.set(fn.entry, handler);
      }
      return (await handler)(payload);
    };

    // Step Functions: the synthesized definition, with Lambda tasks calling the handler modules.
    const engine = new LocalStepFunctions(
      {
        definition: synthesizedLifecycleDefinition(),
        lambdaInvoker: async (functionName, payload) => {
          const fn = BACKGROUND_FUNCTIONS.find((f) => functionName.startsWith(f.name));
          if (!fn) throw new Error(`no local function for ${functionName}`);
          return invoke(fn, payload);
        },
      },
      STATE_MACHINE_ARN,
    );
    closers.push(async () => engine.stopAll());
    sfnServer.on("request", sfnEndpoint(engine, STATE_MACHINE_ARN));

    // Executions waiting on a person are rebuilt from what DynamoDB holds.
    const store = new DynamoDbRequestStore(client, { tableName: TABLE_NAME, retentionDays: 730 });
    let resumed = 0;
    for (const status of Object.keys(
      WAITING_STATE_BY_STATUS,
    ) as (keyof typeof WAITING_STATE_BY_STATUS)[]) {
      let cursor: string | undefined;
      do {
        const page = await store.queue({ status, limit: 200, ...(cursor ? { cursor } : {}) });
        for (const request of page.items) {
          engine.startExecution({
            name: request.id,
            startAt: WAITING_STATE_BY_STATUS[status],
            input: JSON.stringify({
              requestId: request.id,
              type: request.type,
              jurisdiction: request.jurisdiction,
              feeApplicable: feeApplies(request),
            }),
          });
          resumed++;
        }
        cursor = page.cursor;
      } while (cursor);
    }

    // SES receiving: an SMTP listener that stores the raw mail, then invokes intake.
    const documents = new S3DocumentStore(s3Client(), BUCKET_NAME);
    const smtp = await startSmtpListener({
      host,
      port: options.ports.smtp ?? 2525,
      ...(options.smtpVerdicts ? { verdicts: options.smtpVerdicts } : {}),
      store: (key, raw) => documents.putObject(key, raw, "message/rfc822"),
      invoke: (event) => invoke(EMAIL_INTAKE, event),
    });
    closers.push(() => smtp.close());

    // EventBridge: a scheduled event for the deadline scanner, on a timer and on demand.
    const scan = (at = new Date()) =>
      invoke(DEADLINE_SCANNER, scheduledEvent(at)) as Promise<ScanSummary>;
    const interval = options.scanIntervalSeconds ?? 0;
    if (interval > 0) {
      let running = false;
      const timer = setInterval(() => {
        if (running) return; // a slow scan is not overlapped by the next tick
        running = true;
        scan()
          .catch((error: Error) => console.error(`deadline scan failed: ${error.name}`))
          .finally(() => {
            running = false;
          });
      }, interval * 1000);
      timer.unref();
      closers.push(async () => clearInterval(timer));
    }

    // The API, from the route table, plus the local-only health and scan endpoints.
    const keys = await loadOfficerKeys(dataDir);
    const api = createServer(
      apiAdapter(keys, {
        "GET /health": async (_req, res) => {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify({ status: "ok", resumedExecutions: resumed }));
        },
        "POST /_local/scan": async (req, res) => {
          const at = await scanInstantOf(req);
          if (typeof at === "string") {
            res.writeHead(400, { "content-type": "application/json" });
            res.end(JSON.stringify({ error: "invalid-input", field: "at", message: at }));
            return;
          }
          const summary = await scan(at);
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify(summary));
        },
      }),
    );
    const apiPort = await listen(api, options.ports.api, host);
    closers.push(() => close(api));

    return {
      urls: {
        api: `http://${host}:${apiPort}`,
        mail: mailUrl,
        dynamodb: dynamoUrl,
        sfn: sfnUrl,
        s3: s3Url,
        smtp: `smtp://${host}:${smtp.port}`,
      },
      officerToken: (email) => signOfficerToken(keys, email),
      scan,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The event EventBridge sends for a schedule (the scanner reads only `time`). */
function scheduledEvent(at: Date) {
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": "Scheduled Event",
    source: "aws.events",
    account: "000000000000",
    time: at.toISOString(),
    region: "local",
    resources: ["arn:aws:events:local:000000000000:rule/DeadlineScanSchedule"],
    detail: {},
  };
}

/** `{ "at": "<ISO date-time with offset>" }`, or an empty body for now; a message when invalid. */
async function scanInstantOf(req: IncomingMessage): Promise<Date | string> {
  let body = "";
  for await (const chunk of req) body += chunk;
  if (!body.trim()) return new Date();
  let at: unknown;
  try {
    at = (JSON.parse(body) as { at?: unknown }).at;
  } catch {
    return 'the body must be JSON: {"at": "2027-01-12T09:00:00+13:00"}';
  }
  if (at === undefined) return new Date();
  const parsed = typeof at === "string" && /T.*(Z|[+-]\d\d:\d\d)$/.test(at) ? new Date(at) : null;
  if (!parsed || Number.isNaN(parsed.getTime())) {
    return "must be an ISO-8601 date-time with an offset, e.g. 2027-01-12T09:00:00+13:00";
  }
  return parsed;
}

/**
 * Opens and closes the LevelDB folder before dynalite does: dynalite reports a folder it cannot
 * open by throwing from a callback, which would end the process instead of the start.
 */
async function checkLevelDb(path: string): Promise<void> {
  const db = new Level(path);
  try {
    await db.open();
  } catch (error) {
    const cause = (error as { cause?: Error }).cause;
    throw new DataDirError(`${path}: ${cause?.message ?? (error as Error).message}`);
  } finally {
    await db.close().catch(() => undefined);
  }
}

/** The data folder could not be opened or read. */
export class DataDirError extends Error {
  override readonly name = "DataDirError";
}

/**
 * Starts the stack; if its data folder cannot be opened, sets it aside with a warning (never
 * deletes it) and starts again on a fresh one.
 */
export async function startLocalStackRecovering(
  options: LocalStackOptions,
  warn: (message: string) => void = console.warn,
): Promise<LocalStack> {
  try {
    return await startLocalStack(options);
  } catch (error) {
    if (!(error instanceof DataDirError)) throw error;
    warn(`warning: could not open ${options.dataDir} (${error.message}); starting fresh`);
    warn(`warning: the old data is kept in ${setAsideDataDir(resolve(options.dataDir))}`);
    return startLocalStack(options);
  }
}

/** A data folder that cannot be opened is set aside, not deleted, and a new one is started. */
export function setAsideDataDir(dataDir: string): string {
  const aside = `${dataDir}.corrupt-${Date.now()}`;
  if (existsSync(dataDir)) renameSync(dataDir, aside);
  return aside;
}
