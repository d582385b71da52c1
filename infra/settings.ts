/**
 * Deployment settings, read from cdk.json context (override with `-c privacyDesk:<key>=value`)
 * and checked with zod so a bad setting fails the synth with its name.
 */
import { z } from "zod";
import { jurisdictionSchema } from "../functions/domain/model.js";

export const deploymentSettingsSchema = z.object({
  senderAddress: z.string().email(),
  privacyOfficerAddress: z.string().email(),
  privacyLeadAddress: z.string().email(),
  /** The address people email requests to; SES receives it (MX record, active rule set). */
  inboundAddress: z.string().email(),
  alarmEmail: z.string().email().optional(),
  slaBusinessDays: z.coerce.number().int().min(1).max(60).default(15),
  defaultJurisdiction: jurisdictionSchema.default("NZ"),
  defaultRegion: z.string().optional(),
  retentionDays: z.coerce.number().int().min(30).default(730),
  inboundMailRetentionDays: z.coerce.number().int().min(1).default(90),
  reminderThresholds: z
    .string()
    .regex(/^\d+(,\d+)*$/)
    .default("5,2,1,0"),
  scanScheduleMinutes: z.coerce.number().int().min(5).default(60),
  publicBaseUrl: z.string().url(),
  verificationTimeoutDays: z.coerce.number().int().min(1).default(30),
  feeAssessmentTimeoutDays: z.coerce.number().int().min(1).default(7),
  feePaymentTimeoutDays: z.coerce.number().int().min(1).default(30),
  fulfilmentTimeoutDays: z.coerce.number().int().min(1).default(120),
});
export type DeploymentSettings = z.infer<typeof deploymentSettingsSchema>;

const PREFIX = "privacyDesk:";

export function readSettings(tryGetContext: (key: string) => unknown): DeploymentSettings {
  const raw = Object.fromEntries(
    Object.keys(deploymentSettingsSchema.shape).map((key) => [
      key,
      tryGetContext(`${PREFIX}${key}`),
    ]),
  );
  const result = deploymentSettingsSchema.safeParse(
    Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== "")),
  );
  if (!result.success) {
    throw new Error(
      `Invalid cdk.json context: ${result.error.issues.map((i) => `${PREFIX}${i.path.join(".")} ${i.message}`).join("; ")}`,
    );
  }
  return result.data;
}
