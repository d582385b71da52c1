/**
 * The request lifecycle as a Standard state machine (JSONPath only — the local runner has no
 * JSONata). One execution per request, named by its id. Phases that wait on a person use
 * `.waitForTaskToken`; the API resumes them. Every wait has a timeout that ends the request
 * cleanly, every Lambda task retries with backoff, and any other failure is recorded on the
 * request before the execution fails (which the workflow-failure alarm counts).
 *
 *   AwaitVerification ─▶ FeeApplicable? ─▶ AwaitFeeAssessment ─▶ FeeCharged? ─▶ AwaitFeePayment
 *     │ timeout/rejected       │ no              │ timeout ▶ WaiveFee    │ no        │ declined/timeout
 *     ▼                        ▼                 ▼                       ▼           ▼
 *   CloseUnverified        IsOptOut? ─▶ FulfilOptOut | AwaitFulfilment ─▶ Close   CloseFeeDeclined
 */
import { Duration } from "aws-cdk-lib";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as sfn from "aws-cdk-lib/aws-stepfunctions";
import * as tasks from "aws-cdk-lib/aws-stepfunctions-tasks";
import type { Construct } from "constructs";

export interface RequestLifecycleProps {
  workflowStep: lambda.IFunction;
  timeouts: {
    verification: Duration;
    feeAssessment: Duration;
    feePayment: Duration;
    fulfilment: Duration;
  };
}

/** State names are part of the contract: the local runtime resumes executions at them. */
export const WAITING_STATE_BY_STATUS = {
  "awaiting-verification": "AwaitVerification",
  "awaiting-fee-assessment": "AwaitFeeAssessment",
  "awaiting-fee-payment": "AwaitFeePayment",
  "in-fulfilment": "AwaitFulfilment",
} as const;

export function requestLifecycleDefinition(
  scope: Construct,
  props: RequestLifecycleProps,
): sfn.IChainable {
  const { workflowStep, timeouts } = props;

  const step = (id: string, payload: Record<string, unknown>) => {
    const task = new tasks.LambdaInvoke(scope, id, {
      lambdaFunction: workflowStep,
      payload: sfn.TaskInput.fromObject({
        requestId: sfn.JsonPath.stringAt("$.requestId"),
        ...payload,
      }),
      payloadResponseOnly: true,
      resultPath: sfn.JsonPath.DISCARD,
    });
    task.addRetry({
      errors: [
        "Lambda.ServiceException",
        "Lambda.TooManyRequestsException",
        "Lambda.SdkClientException",
        "States.TaskFailed",
      ],
      interval: Duration.seconds(2),
      backoffRate: 2,
      maxAttempts: 3,
    });
    return task;
  };

  const waitFor = (
    id: string,
    phase: keyof typeof WAITING_STATE_BY_STATUS,
    resultPath: string,
    timeout: Duration,
  ) => {
    const task = new tasks.LambdaInvoke(scope, id, {
      lambdaFunction: workflowStep,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: sfn.TaskInput.fromObject({
        step: "await",
        phase,
        requestId: sfn.JsonPath.stringAt("$.requestId"),
        taskToken: sfn.JsonPath.taskToken,
      }),
      resultPath,
      taskTimeout: sfn.Timeout.duration(timeout),
    });
    task.addRetry({
      errors: [
        "Lambda.ServiceException",
        "Lambda.TooManyRequestsException",
        "Lambda.SdkClientException",
      ],
      interval: Duration.seconds(2),
      backoffRate: 2,
      maxAttempts: 3,
    });
    return task;
  };

  const failed = new sfn.Fail(scope, "Failed", {
    error: "RequestWorkflowFailed",
    cause: "See the request's history",
  });
  const recordFailure = step("RecordFailure", {
    step: "record-failure",
    error: sfn.JsonPath.objectAt("$.error"),
  }).next(failed);
  const onError = { errors: ["States.ALL"], resultPath: "$.error" };

  const closed = new sfn.Succeed(scope, "Closed");
  const close = step("Close", { step: "close" }).addCatch(recordFailure, onError).next(closed);

  const closeUnverified = step("CloseUnverified", { step: "close-unverified" })
    .addCatch(recordFailure, onError)
    .next(new sfn.Succeed(scope, "ClosedUnverified"));
  const closeFeeDeclined = step("CloseFeeDeclined", { step: "close-fee-declined" })
    .addCatch(recordFailure, onError)
    .next(new sfn.Succeed(scope, "ClosedFeeDeclined"));

  const awaitFulfilment = waitFor(
    "AwaitFulfilment",
    "in-fulfilment",
    "$.fulfilment",
    timeouts.fulfilment,
  )
    .addCatch(recordFailure, onError)
    .next(close);
  const fulfilOptOut = step("FulfilOptOut", { step: "fulfil-opt-out" })
    .addCatch(recordFailure, onError)
    .next(close);
  const isOptOut = new sfn.Choice(scope, "IsOptOut?")
    .when(sfn.Condition.stringEquals("$.type", "marketing-opt-out"), fulfilOptOut)
    .otherwise(awaitFulfilment);

  const awaitFeePayment = waitFor(
    "AwaitFeePayment",
    "awaiting-fee-payment",
    "$.payment",
    timeouts.feePayment,
  )
    .addCatch(closeFeeDeclined, {
      errors: ["FeeDeclined", "States.Timeout"],
      resultPath: "$.error",
    })
    .addCatch(recordFailure, onError)
    .next(isOptOut);
  const feeCharged = new sfn.Choice(scope, "FeeCharged?")
    .when(sfn.Condition.numberGreaterThan("$.fee.amount", 0), awaitFeePayment)
    .otherwise(isOptOut);
  const waiveFee = step("WaiveFee", { step: "waive-fee" })
    .addCatch(recordFailure, onError)
    .next(isOptOut);
  const awaitFeeAssessment = waitFor(
    "AwaitFeeAssessment",
    "awaiting-fee-assessment",
    "$.fee",
    timeouts.feeAssessment,
  )
    .addCatch(waiveFee, { errors: ["States.Timeout"], resultPath: "$.error" })
    .addCatch(recordFailure, onError)
    .next(feeCharged);

  const feeApplicable = new sfn.Choice(scope, "FeeApplicable?")
    .when(
      sfn.Condition.stringEquals("$.verification.next", "awaiting-fee-assessment"),
      awaitFeeAssessment,
    )
    .otherwise(isOptOut);

  return waitFor(
    "AwaitVerification",
    "awaiting-verification",
    "$.verification",
    timeouts.verification,
  )
    .addCatch(closeUnverified, {
      errors: ["States.Timeout", "VerificationRejected"],
      resultPath: "$.error",
    })
    .addCatch(recordFailure, onError)
    .next(feeApplicable);
}
