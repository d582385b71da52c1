/**
 * The one route/function table. The CDK application stack and the local runtime (infra/local)
 * both read it, so the deployed API and the laptop API can never disagree.
 */

export type RouteAuth = "public" | "status-token" | "officer";

export interface FunctionDef {
  /** Logical name: CDK construct id suffix and local log prefix. PascalCase. */
  name: string;
  /** Handler module, relative to the repository root. Exports `handler`. */
  entry: string;
  /** Memory in MB (ARM64). */
  memoryMb?: number;
  timeoutSeconds?: number;
}

export interface RouteDef extends FunctionDef {
  method: "GET" | "POST";
  /** API Gateway path syntax: `/requests/{id}`. */
  path: string;
  auth: RouteAuth;
}

const h = (file: string) => `functions/handlers/${file}.handler.ts`;

export const ROUTES: readonly RouteDef[] = [
  // Requester
  {
    method: "POST",
    path: "/requests",
    auth: "public",
    name: "SubmitRequest",
    entry: h("submit-request"),
  },
  {
    method: "GET",
    path: "/requests/{id}",
    auth: "status-token",
    name: "GetRequestStatus",
    entry: h("get-request-status"),
  },
  {
    method: "POST",
    path: "/requests/{id}/verification",
    auth: "status-token",
    name: "SubmitVerificationCode",
    entry: h("submit-verification-code"),
  },
  {
    method: "POST",
    path: "/requests/{id}/fee-response",
    auth: "status-token",
    name: "RespondToFee",
    entry: h("respond-to-fee"),
  },
  {
    method: "POST",
    path: "/requests/{id}/withdraw",
    auth: "status-token",
    name: "WithdrawRequest",
    entry: h("withdraw-request"),
  },
  // Officer (JWT)
  {
    method: "GET",
    path: "/officer/requests",
    auth: "officer",
    name: "OfficerQueue",
    entry: h("officer-queue"),
  },
  {
    method: "GET",
    path: "/officer/requests/{id}",
    auth: "officer",
    name: "OfficerGetRequest",
    entry: h("officer-get-request"),
  },
  {
    method: "POST",
    path: "/officer/requests/{id}/verification",
    auth: "officer",
    name: "OfficerVerify",
    entry: h("officer-verify"),
  },
  {
    method: "POST",
    path: "/officer/requests/{id}/fee",
    auth: "officer",
    name: "OfficerAssessFee",
    entry: h("officer-assess-fee"),
  },
  {
    method: "POST",
    path: "/officer/requests/{id}/payment",
    auth: "officer",
    name: "OfficerRecordPayment",
    entry: h("officer-record-payment"),
  },
  {
    method: "POST",
    path: "/officer/requests/{id}/extension",
    auth: "officer",
    name: "OfficerExtend",
    entry: h("officer-extend"),
  },
  {
    method: "POST",
    path: "/officer/requests/{id}/pause",
    auth: "officer",
    name: "OfficerPause",
    entry: h("officer-pause"),
  },
  {
    method: "POST",
    path: "/officer/requests/{id}/resume",
    auth: "officer",
    name: "OfficerResume",
    entry: h("officer-resume"),
  },
  {
    method: "POST",
    path: "/officer/requests/{id}/fulfilment",
    auth: "officer",
    name: "OfficerFulfil",
    entry: h("officer-fulfil"),
  },
  {
    method: "POST",
    path: "/officer/requests/{id}/close",
    auth: "officer",
    name: "OfficerClose",
    entry: h("officer-close"),
  },
  {
    method: "POST",
    path: "/officer/requests/{id}/classification",
    auth: "officer",
    name: "OfficerClassify",
    entry: h("officer-classify"),
  },
  {
    method: "POST",
    path: "/officer/requests/{id}/assignment",
    auth: "officer",
    name: "OfficerAssign",
    entry: h("officer-assign"),
  },
  {
    method: "POST",
    path: "/officer/requests/{id}/notes",
    auth: "officer",
    name: "OfficerAddNote",
    entry: h("officer-add-note"),
  },
];

/** Functions that are not behind the API. */
export const WORKFLOW_STEP: FunctionDef = {
  name: "WorkflowStep",
  entry: h("workflow-step"),
  timeoutSeconds: 30,
};

/** Run by the EventBridge schedule (locally: a timer and `npm run scan`). */
export const DEADLINE_SCANNER: FunctionDef = {
  name: "DeadlineScanner",
  entry: h("deadline-scanner"),
  memoryMb: 512,
  timeoutSeconds: 300,
};

/** Invoked by the SES receipt rule (locally: the SMTP listener) once the raw mail is in S3. */
export const EMAIL_INTAKE: FunctionDef = {
  name: "EmailIntake",
  entry: h("email-intake"),
  memoryMb: 1024,
  timeoutSeconds: 60,
};

export const BACKGROUND_FUNCTIONS: readonly FunctionDef[] = [
  WORKFLOW_STEP,
  DEADLINE_SCANNER,
  EMAIL_INTAKE,
];
