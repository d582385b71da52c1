/** The real composition root and adapters, with the AWS SDK mocked at the client. */
import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import { SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { handler as submit } from "../../../functions/handlers/submit-request.handler.js";
import { setDepsForTesting } from "../../../functions/handlers/wiring.js";
import { handler as workflowStep } from "../../../functions/handlers/workflow-step.handler.js";
import { apiEvent, invoke } from "../../support/api-event.js";
import { FUNCTION_ENV, useFunctionEnv } from "../../support/function-env.js";
import { applying, aRequest, requesterActor } from "../../support/request-builder.js";

const dynamo = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
const ses = mockClient(SESv2Client);

useFunctionEnv();
beforeAll(() => {
  setDepsForTesting(undefined);
});
afterAll(() => {
  dynamo.restore();
  sfn.restore();
  ses.restore();
});
beforeEach(() => {
  dynamo.reset();
  sfn.reset();
  ses.reset();
  ses.on(SendEmailCommand).resolves({ MessageId: "ses-1" });
});

describe("submitting through the real adapters", () => {
  it("writes the request conditionally, starts the execution named by its id, and mails the requester", async () => {
    const response = await invoke(
      submit,
      apiEvent({
        method: "POST",
        path: "/requests",
        body: {
          type: "complaint",
          requester: { name: "Aroha Test", email: "aroha@example.com" },
          jurisdiction: "AU",
          description: "You kept emailing me",
        },
      }),
    );

    expect(response.statusCode).toBe(202);
    const id = String(response.body.id);
    const put = dynamo.commandCalls(PutCommand)[0]?.args[0].input;
    expect(put).toMatchObject({
      TableName: "privacy-desk",
      ConditionExpression: "attribute_not_exists(PK)",
      Item: { PK: `REQ#${id}`, SK: "REQUEST", GSI1PK: "OPEN", status: "awaiting-verification" },
    });
    expect(put?.Item?.statusTokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(put?.Item?.statusTokenHash).not.toBe(response.body.statusToken);
    const start = sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input;
    expect(start).toMatchObject({ stateMachineArn: FUNCTION_ENV.STATE_MACHINE_ARN, name: id });
    expect(JSON.parse(start?.input ?? "{}")).toEqual({
      requestId: id,
      type: "complaint",
      jurisdiction: "AU",
      feeApplicable: false,
    });
    const mails = ses.commandCalls(SendEmailCommand).map((c) => c.args[0].input);
    expect(mails.map((m) => m.Destination?.ToAddresses)).toEqual([
      ["aroha@example.com"],
      ["officers@provider.example"],
    ]);
    expect(mails[0]?.FromEmailAddress).toBe("privacy@provider.example");
    expect(mails[0]?.Content?.Simple?.Subject?.Data).toContain(String(response.body.reference));
  });
});

describe("the workflow step", () => {
  it("refuses a malformed event without touching anything", async () => {
    await expect(workflowStep({ step: "await", requestId: "nope" })).rejects.toThrow(
      /requestId|phase|taskToken/,
    );
    expect(dynamo.calls()).toHaveLength(0);
  });

  it("resumes at once when the request moved on before the workflow started waiting", async () => {
    // Arrange: the conditional write of the token fails (status already moved), and the stored
    // request shows the requester withdrew.
    const withdrawn = applying(aRequest(), { kind: "withdraw", actor: requesterActor });
    dynamo
      .on(UpdateCommand)
      .rejects(Object.assign(new Error("no"), { name: "ConditionalCheckFailedException" }));
    dynamo
      .on(GetCommand)
      .resolves({ Item: { request: withdrawn, statusTokenHash: "0".repeat(64) } });

    // Act
    await workflowStep({
      step: "await",
      phase: "awaiting-verification",
      requestId: withdrawn.id,
      taskToken: "t-1",
    });

    // Assert: nothing resumed (the execution is stopped by the withdrawal), nothing mailed.
    expect(sfn.calls()).toHaveLength(0);
    expect(ses.calls()).toHaveLength(0);
  });
});
