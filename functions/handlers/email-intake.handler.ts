/**
 * Invoked by the SES receipt rule after its S3 action stored the raw message under
 * `inbound/<messageId>` (locally: by the SMTP listener, with the same event shape). The event is
 * checked; each record goes through the intake use case. An error is thrown, not swallowed, so
 * that SES's asynchronous invocation retries it: intake is idempotent per message.
 */
import { z } from "zod";
import { config } from "../config.js";
import { type IntakeResult, receiveEmail } from "../use-cases/email-intake.js";
import { parseEvent } from "./parse-event.js";
import { deps } from "./wiring.js";

const verdict = z.object({
  status: z.enum(["PASS", "FAIL", "GRAY", "PROCESSING_FAILED", "DISABLED"]),
});

export const sesEventSchema = z.object({
  Records: z
    .array(
      z.object({
        ses: z.object({
          mail: z.object({
            messageId: z.string().regex(/^[\w.-]{1,200}$/),
            timestamp: z.string().datetime({ offset: true }),
          }),
          receipt: z.object({
            spamVerdict: verdict.optional(),
            virusVerdict: verdict.optional(),
            spfVerdict: verdict.optional(),
            dkimVerdict: verdict.optional(),
            dmarcVerdict: verdict.optional(),
          }),
        }),
      }),
    )
    .min(1),
});

export class InvalidSesEventError extends Error {
  override readonly name = "InvalidSesEventError";
}

export const handler = async (event: unknown): Promise<IntakeResult[]> => {
  const { Records } = parseEvent(
    sesEventSchema,
    event,
    InvalidSesEventError,
    "an SES receipt event",
  );
  const { INBOUND_PREFIX, MAX_INBOUND_BYTES } = config();
  const results: IntakeResult[] = [];
  for (const { ses } of Records) {
    results.push(
      await receiveEmail(
        deps(),
        {
          sesMessageId: ses.mail.messageId,
          objectKey: `${INBOUND_PREFIX}${ses.mail.messageId}`,
          receivedAt: new Date(ses.mail.timestamp).toISOString(),
          receipt: ses.receipt,
        },
        { maxBytes: MAX_INBOUND_BYTES },
      ),
    );
  }
  return results;
};
