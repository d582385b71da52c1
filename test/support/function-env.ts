/** The environment a deployed function gets, for tests that run the real composition root. */
import { afterAll, beforeAll } from "vitest";

export const FUNCTION_ENV = {
  TABLE_NAME: "privacy-desk",
  BUCKET_NAME: "privacy-desk-documents",
  STATE_MACHINE_ARN: "arn:aws:states:ap-southeast-2:123456789012:stateMachine:RequestLifecycle",
  SENDER_ADDRESS: "privacy@provider.example",
  PRIVACY_OFFICER_ADDRESS: "officers@provider.example",
  PUBLIC_BASE_URL: "https://privacy.provider.example",
  STATUS_TOKEN_SECRET: "a-test-secret-of-enough-length",
  AWS_REGION: "ap-southeast-2",
};

/** Sets FUNCTION_ENV for the file's tests and removes it afterwards. */
export function useFunctionEnv(): void {
  beforeAll(() => {
    Object.assign(process.env, FUNCTION_ENV);
  });
  afterAll(() => {
    for (const key of Object.keys(FUNCTION_ENV)) delete process.env[key];
  });
}
