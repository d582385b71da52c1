/**
 * The composition root: real adapters built once per container from the parsed settings. Tests
 * replace the whole bundle with fakes through setDepsForTesting.
 */

import { dynamoDbClient, s3Client, sesClient, sfnClient } from "../adapters/clients.js";
import { DynamoDbRequestStore } from "../adapters/dynamodb-request-store.js";
import { S3DocumentStore } from "../adapters/s3-document-store.js";
import { SesMailer } from "../adapters/ses-mailer.js";
import { SfnWorkflow } from "../adapters/sfn-workflow.js";
import { config } from "../config.js";
import type { Deps } from "../use-cases/deps.js";
import { systemClock } from "../use-cases/ports.js";

let instance: Deps | undefined;

export function deps(): Deps {
  if (instance) return instance;
  const s = config();
  instance = {
    store: new DynamoDbRequestStore(dynamoDbClient(), {
      tableName: s.TABLE_NAME,
      retentionDays: s.RETENTION_DAYS,
    }),
    mailer: new SesMailer(sesClient(), {
      from: s.SENDER_ADDRESS,
      configurationSet: s.SES_CONFIGURATION_SET,
    }),
    workflow: new SfnWorkflow(sfnClient(), s.STATE_MACHINE_ARN),
    documents: new S3DocumentStore(s3Client(), s.BUCKET_NAME),
    clock: systemClock,
    settings: {
      slaBusinessDays: s.SLA_BUSINESS_DAYS,
      defaultJurisdiction: s.DEFAULT_JURISDICTION,
      defaultRegion: s.DEFAULT_REGION,
      privacyOfficerAddress: s.PRIVACY_OFFICER_ADDRESS,
      privacyLeadAddress: s.PRIVACY_LEAD_ADDRESS,
      publicBaseUrl: s.PUBLIC_BASE_URL,
      verificationCodeTtlMinutes: s.VERIFICATION_CODE_TTL_MINUTES,
      maxVerificationAttempts: s.MAX_VERIFICATION_ATTEMPTS,
      reminderThresholds: s.REMINDER_THRESHOLDS,
      documentLinkTtlSeconds: s.DOCUMENT_LINK_TTL_SECONDS,
      statusTokenSecret: s.STATUS_TOKEN_SECRET,
    },
  };
  return instance;
}

export function setDepsForTesting(testDeps: Deps | undefined): void {
  instance = testDeps;
}
