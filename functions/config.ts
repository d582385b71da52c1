/**
 * The functions' settings, parsed once from the environment with zod. A missing or bad variable
 * fails the cold start with its name, instead of a confusing error on the first request.
 */
import { z } from "zod";
import { jurisdictionSchema } from "./domain/model.js";

const settingsSchema = z.object({
  TABLE_NAME: z.string().min(1),
  BUCKET_NAME: z.string().min(1),
  STATE_MACHINE_ARN: z.string().startsWith("arn:"),
  SENDER_ADDRESS: z.string().email(),
  PRIVACY_OFFICER_ADDRESS: z.string().email(),
  PRIVACY_LEAD_ADDRESS: z.string().email().optional(),
  SLA_BUSINESS_DAYS: z.coerce.number().int().min(1).max(60).default(15),
  DEFAULT_JURISDICTION: jurisdictionSchema.default("NZ"),
  DEFAULT_REGION: z.string().optional(),
  RETENTION_DAYS: z.coerce.number().int().min(1).default(730),
  REMINDER_THRESHOLDS: z
    .string()
    .default("5,2,1,0")
    .transform((s) => s.split(",").map((n) => Number(n.trim())))
    .pipe(z.array(z.number().int().min(0).max(30))),
  VERIFICATION_CODE_TTL_MINUTES: z.coerce.number().int().min(5).default(1440),
  MAX_VERIFICATION_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(5),
  DOCUMENT_LINK_TTL_SECONDS: z.coerce.number().int().min(60).max(604_800).default(86_400),
  PUBLIC_BASE_URL: z.string().url(),
  STATUS_TOKEN_SECRET: z.string().min(16),
  SES_CONFIGURATION_SET: z.string().optional(),
  /** Where the SES receipt rule's S3 action stores raw inbound mail. */
  INBOUND_PREFIX: z.string().default("inbound/"),
  /** Larger inbound messages are opened from their headers only (the raw message is kept). */
  MAX_INBOUND_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(10 * 1024 * 1024),
});

export type Settings = z.infer<typeof settingsSchema>;

export class ConfigurationError extends Error {
  override readonly name = "ConfigurationError";
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Settings {
  const result = settingsSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigurationError(
      `Invalid environment: ${result.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`,
    );
  }
  return result.data;
}

let cached: Settings | undefined;
export function config(): Settings {
  cached ??= loadConfig();
  return cached;
}
