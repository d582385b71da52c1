import type { Jurisdiction } from "../domain/model.js";
import type { Clock, DocumentStore, Mailer, RequestStore, Workflow } from "./ports.js";

/** Settings the use cases need (a subset of functions/config.ts, passed in so tests choose them). */
export interface UseCaseSettings {
  slaBusinessDays: number;
  defaultJurisdiction: Jurisdiction;
  defaultRegion?: string;
  privacyOfficerAddress: string;
  privacyLeadAddress?: string;
  publicBaseUrl: string;
  verificationCodeTtlMinutes: number;
  maxVerificationAttempts: number;
  /** Working-day thresholds before the SLA date at which officers are reminded. */
  reminderThresholds: number[];
  documentLinkTtlSeconds: number;
  /** HMAC key for status tokens, so a retried submission can be answered with the same token. */
  statusTokenSecret: string;
}

/** Everything a use case may touch, injected: adapters in the handlers, fakes in tests. */
export interface Deps {
  store: RequestStore;
  mailer: Mailer;
  workflow: Workflow;
  documents: DocumentStore;
  clock: Clock;
  settings: UseCaseSettings;
}
