/**
 * Every cdk-nag (AwsSolutions) finding we accept, each with the reason it is acceptable. Findings
 * are acknowledged one rule (and, for IAM5, one wildcard) at a time, so a new kind of wildcard or
 * a new unauthenticated route still fails the synth.
 */
import { type Stack, Token, Validations } from "aws-cdk-lib";
import { ROUTES } from "../functions/routes.js";

const ack = (stack: Stack, id: string, reason: string) =>
  Validations.of(stack).acknowledge({ id: `AwsSolutions::AwsSolutions-${id}`, reason });

export function applyNagSuppressions(stateful: Stack, application: Stack): void {
  const exported = (name: string) => `${stateful.stackName}:ExportsOutputFnGetAtt${name}`;

  ack(
    application,
    "APIG4",
    `Requester routes (${ROUTES.filter((r) => r.auth !== "officer").length}) have no API Gateway authorizer by design: POST /requests is the public intake form, and the others are authorized inside the function by the request's own bearer status token (hashed at rest), which an API Gateway authorizer cannot check. Every /officer route uses the Cognito JWT authorizer.`,
  );
  ack(
    application,
    "IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
    "The standard Lambda logging policy: CloudWatch Logs create/put only.",
  );
  ack(
    application,
    "SMG4",
    "The status-token HMAC key: rotating it would invalidate every requester's status link still in use. It is encrypted with the data key and readable only by the functions.",
  );
  const wildcard = (finding: string, reason: string) =>
    ack(application, `IAM5[${finding}]`, reason);
  wildcard(
    "Action::kms:GenerateDataKey*",
    "CDK's grant on the one data key (table and bucket encryption).",
  );
  wildcard(
    "Action::kms:ReEncrypt*",
    "CDK's grant on the one data key (table and bucket encryption).",
  );
  for (const action of ["Abort*", "DeleteObject*", "GetBucket*", "GetObject*", "List*"]) {
    wildcard(`Action::s3:${action}`, "CDK's read/write grant, scoped to the documents bucket.");
  }
  wildcard(
    "Resource::*",
    "states:SendTaskSuccess/Failure/Heartbeat take a task token, not a resource, and accept only '*'; X-Ray PutTraceSegments likewise.",
  );
  wildcard(
    `Resource::${exported("Documents7E5B2978Arn159F38C5")}/*`,
    "Objects of the documents bucket only.",
  );
  wildcard(
    `Resource::${exported("RequestsC42AC379Arn9AE67B58")}/index/*`,
    "The two GSIs of the requests table.",
  );
  wildcard(
    `Resource::${arnPrefix(application)}:states:${regionOf(application)}:${accountOf(application)}:execution:PrivacyDeskRequestLifecycle:*`,
    "Executions of the one lifecycle state machine (one per request, named by its id).",
  );
  wildcard(
    "Resource::<WorkflowStepFunction826789DE.Arn>:*",
    "Versions of the workflow-step function, granted by CDK for the state machine's Lambda invoke.",
  );
}

/** How cdk-nag prints a stack's region and partition: literal when known, else the pseudo-parameter. */
function regionOf(stack: Stack): string {
  return Token.isUnresolved(stack.region) ? "<AWS::Region>" : stack.region;
}

function arnPrefix(stack: Stack): string {
  return Token.isUnresolved(stack.region) ? "arn:<AWS::Partition>" : "arn:aws";
}

function accountOf(stack: Stack): string {
  return Token.isUnresolved(stack.account) ? "<AWS::AccountId>" : stack.account;
}
