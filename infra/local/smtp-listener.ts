/**
 * The local stand-in for SES receiving: an SMTP server on loopback that any mail client can send
 * to. Like the receipt rule, it stores the raw message under `inbound/<id>` in the (local) bucket
 * and then invokes the intake handler with an SES-shaped event. The verdicts SES would add are
 * configurable: SMTP_VERDICTS (e.g. `spam=FAIL,dkim=FAIL`; every verdict PASS by default), or per
 * message with an `X-Local-Verdicts:` header of the same form, so quarantine can be tried by hand.
 */
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import type { SesReceipt, SesVerdictStatus } from "../../functions/domain/inbound-email.js";
import { listenOn } from "./listen.js";

export type Verdicts = Record<"spam" | "virus" | "spf" | "dkim" | "dmarc", SesVerdictStatus>;

export interface SmtpListenerOptions {
  host: string;
  port: number;
  /** SES accepts up to 40 MB; larger messages are refused at the SMTP level, as SES does. */
  maxBytes?: number;
  verdicts?: Partial<Verdicts>;
  /** Stores the raw message (the S3 action). */
  store(key: string, raw: Uint8Array): Promise<void>;
  /** Invokes the intake function with the SES event (the Lambda action). */
  invoke(event: unknown): Promise<unknown>;
}

const STATUSES = new Set(["PASS", "FAIL", "GRAY", "PROCESSING_FAILED", "DISABLED"]);

/** `spam=FAIL,dkim=GRAY` → verdicts; unknown names or statuses are an error naming them. */
export function parseVerdicts(spec: string | undefined): Partial<Verdicts> {
  const verdicts: Partial<Verdicts> = {};
  for (const part of (spec ?? "").split(",").filter((p) => p.trim())) {
    const [name = "", status = ""] = part.split("=").map((s) => s.trim());
    const key = name.toLowerCase() as keyof Verdicts;
    if (!["spam", "virus", "spf", "dkim", "dmarc"].includes(key) || !STATUSES.has(status)) {
      throw new Error(`verdict "${part}" is not <spam|virus|spf|dkim|dmarc>=<PASS|FAIL|GRAY|…>`);
    }
    verdicts[key] = status as SesVerdictStatus;
  }
  return verdicts;
}

/** SES message ids are 20–60 lower-case alphanumerics; this one marks itself as local. */
const localMessageId = () => `local${Date.now().toString(36)}${randomBytes(10).toString("hex")}`;

export async function startSmtpListener(
  options: SmtpListenerOptions,
): Promise<{ port: number; close(): Promise<void> }> {
  const maxBytes = options.maxBytes ?? 40 * 1024 * 1024;
  const server = new SMTPServer({
    name: "privacy-desk.local",
    banner: "Privacy Desk local inbound mail (SES stand-in)",
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    size: maxBytes,
    rejectOversized: true,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        if (stream.sizeExceeded) {
          callback(Object.assign(new Error("Message exceeds 40 MB"), { responseCode: 552 }));
          return;
        }
        const raw = Buffer.concat(chunks);
        const messageId = localMessageId();
        const recipients = session.envelope.rcptTo.map((r) => r.address);
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
        receive(options, raw, messageId, from, recipients)
          .then(() => callback(null, `Queued as ${messageId}`))
          .catch((error: Error) => {
            // Stored but not processed: say so by id only, as SES would retry the invocation.
            console.error(`inbound ${messageId}: intake failed (${error.name})`);
            callback(null, `Queued as ${messageId}`);
          });
      });
    },
  });
  await listenOn(server, options.port, options.host);
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function receive(
  options: SmtpListenerOptions,
  raw: Buffer,
  messageId: string,
  from: string,
  recipients: string[],
): Promise<void> {
  await options.store(`inbound/${messageId}`, raw);
  const verdicts: Verdicts = {
    spam: "PASS",
    virus: "PASS",
    spf: "PASS",
    dkim: "PASS",
    dmarc: "PASS",
    ...options.verdicts,
    ...perMessageVerdicts(raw),
  };
  const now = new Date().toISOString();
  const receipt: Required<SesReceipt> = {
    spamVerdict: { status: verdicts.spam },
    virusVerdict: { status: verdicts.virus },
    spfVerdict: { status: verdicts.spf },
    dkimVerdict: { status: verdicts.dkim },
    dmarcVerdict: { status: verdicts.dmarc },
  };
  await options.invoke({
    Records: [
      {
        eventSource: "aws:ses",
        eventVersion: "1.0",
        ses: {
          mail: {
            timestamp: now,
            source: from,
            messageId,
            destination: recipients,
            headersTruncated: false,
            headers: [],
            commonHeaders: {},
          },
          receipt: {
            timestamp: now,
            processingTimeMillis: 0,
            recipients,
            ...receipt,
            action: {
              type: "Lambda",
              functionArn: "arn:aws:lambda:local:000000000000:function:EmailIntake",
              invocationType: "Event",
            },
          },
        },
      },
    ],
  });
}

/** An `X-Local-Verdicts:` header in the message's header block, if any (invalid: ignored). */
function perMessageVerdicts(raw: Buffer): Partial<Verdicts> {
  const head =
    raw
      .subarray(0, 64 * 1024)
      .toString("latin1")
      .split(/\r?\n\r?\n/)[0] ?? "";
  const line = /^x-local-verdicts:\s*(.+)$/im.exec(head)?.[1];
  try {
    return parseVerdicts(line);
  } catch {
    return {};
  }
}
