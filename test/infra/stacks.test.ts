import validator from "asl-validator";
import { Match, type Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { ROUTES } from "../../functions/routes.js";
import { lifecycleDefinition, synthesizeApp } from "../support/synth.js";

let stateful: Template;
let application: Template;

beforeAll(() => {
  // Synth runs the cdk-nag AwsSolutions pack as a validation plugin: any unacknowledged
  // finding makes it throw, so reaching the assertions means zero findings.
  ({ stateful, application } = synthesizeApp());
}, 120_000);

describe("the stateful stack", () => {
  it("keeps requests in an on-demand table with PITR, a customer key, deletion protection and TTL", () => {
    stateful.hasResource("AWS::DynamoDB::GlobalTable", {
      DeletionPolicy: "Retain",
      Properties: Match.objectLike({
        BillingMode: "PAY_PER_REQUEST",
        SSESpecification: Match.objectLike({ SSEEnabled: true, SSEType: "KMS" }),
        TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true },
        Replicas: [
          Match.objectLike({
            DeletionProtectionEnabled: true,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
            SSESpecification: { KMSMasterKeyId: Match.anyValue() },
          }),
        ],
      }),
    });
    stateful.hasResourceProperties("AWS::KMS::Key", { EnableKeyRotation: true });
  });

  it("has the sparse open-by-due index the deadline scanner queries", () => {
    stateful.hasResourceProperties("AWS::DynamoDB::GlobalTable", {
      GlobalSecondaryIndexes: Match.arrayWith([
        Match.objectLike({
          IndexName: "open-by-due",
          KeySchema: [
            { AttributeName: "GSI1PK", KeyType: "HASH" },
            { AttributeName: "GSI1SK", KeyType: "RANGE" },
          ],
        }),
      ]),
    });
  });

  it("keeps documents in a KMS-encrypted, private, TLS-only bucket that expires inbound mail", () => {
    stateful.hasResourceProperties("AWS::S3::Bucket", {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({
            ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: "aws:kms" }),
          }),
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({ Prefix: "inbound/", ExpirationInDays: 90 })]),
      },
    });
    stateful.hasResourceProperties("AWS::S3::BucketPolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: "Deny",
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          }),
        ]),
      },
    });
  });
});

describe("the application stack", () => {
  it("runs every function on Node 24, ARM64, with tracing", () => {
    const functions = Object.values(application.findResources("AWS::Lambda::Function"));
    expect(functions.length).toBeGreaterThanOrEqual(ROUTES.length + 1);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: "nodejs24.x",
        Architectures: ["arm64"],
        TracingConfig: { Mode: "Active" },
      });
    }
  });

  it.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r.auth] as const))(
    "routes %s with %s authorization",
    (routeKey, auth) => {
      application.hasResourceProperties("AWS::ApiGatewayV2::Route", {
        RouteKey: routeKey,
        AuthorizationType: auth === "officer" ? "JWT" : "NONE",
      });
    },
  );

  it("throttles the API and writes access logs without bodies", () => {
    application.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      DefaultRouteSettings: Match.objectLike({ ThrottlingBurstLimit: 50, ThrottlingRateLimit: 20 }),
      AccessLogSettings: {
        DestinationArn: Match.anyValue(),
        Format: Match.stringLikeRegexp("requestId"),
      },
    });
  });

  it("checks officers' JWTs against a Cognito pool without self sign-up and with MFA", () => {
    application.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", { AuthorizerType: "JWT" });
    application.hasResourceProperties("AWS::Cognito::UserPool", {
      MfaConfiguration: "ON",
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
  });

  it("alarms on workflow failures", () => {
    application.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "ExecutionsFailed",
      Namespace: "AWS/States",
      AlarmActions: Match.anyValue(),
    });
  });
});

describe("deadline alerts", () => {
  it("runs the deadline scanner every hour from an EventBridge schedule, with retries", () => {
    const scanner = Object.entries(application.findResources("AWS::Lambda::Function")).find(
      ([id]) => id.startsWith("DeadlineScanner"),
    );
    expect(scanner).toBeDefined();
    application.hasResourceProperties("AWS::Events::Rule", {
      ScheduleExpression: "rate(1 hour)",
      State: "ENABLED",
      Targets: [
        Match.objectLike({
          Arn: { "Fn::GetAtt": [scanner?.[0], "Arn"] },
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 2 }),
        }),
      ],
    });
  });

  it("alarms when any request is past its statutory date, and emails the alert address", () => {
    application.hasResourceProperties("AWS::CloudWatch::Alarm", {
      Namespace: "PrivacyDesk",
      MetricName: "OverdueStatutory",
      Dimensions: [{ Name: "service", Value: "privacy-desk" }],
      ComparisonOperator: "GreaterThanThreshold",
      Threshold: 0,
      AlarmActions: [Match.objectLike({ Ref: Match.stringLikeRegexp("^Alerts") })],
    });
    application.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "email",
      Endpoint: "privacy-alerts@example.com",
    });
  });

  it("alarms when the scanner stops running, since silence would look like all is well", () => {
    application.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "Invocations",
      ComparisonOperator: "LessThanThreshold",
      TreatMissingData: "breaching",
    });
  });

  it("has a dashboard of open, due and overdue requests by jurisdiction", () => {
    const dashboards = Object.values(application.findResources("AWS::CloudWatch::Dashboard"));
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]?.Properties);
    for (const metric of [
      "OpenRequests",
      "DueWithin2WorkingDays",
      "OverdueSla",
      "OverdueStatutory",
    ]) {
      expect(body).toContain(metric);
    }
    expect(body).toContain("jurisdiction");
  });
});

describe("email intake", () => {
  it("receives the privacy mailbox with spam and virus scanning, stores the raw mail, then invokes intake", () => {
    const intake = Object.keys(application.findResources("AWS::Lambda::Function")).find((id) =>
      id.startsWith("EmailIntake"),
    );
    application.hasResourceProperties("AWS::SES::ReceiptRule", {
      Rule: Match.objectLike({
        Recipients: ["privacy@example.com"],
        ScanEnabled: true,
        TlsPolicy: "Require",
        Actions: [
          { S3Action: Match.objectLike({ ObjectKeyPrefix: "inbound/" }) },
          {
            LambdaAction: {
              FunctionArn: { "Fn::GetAtt": [intake, "Arn"] },
              InvocationType: "Event",
            },
          },
        ],
      }),
    });
    application.hasResourceProperties("AWS::Lambda::Permission", {
      Principal: "ses.amazonaws.com",
      FunctionName: { "Fn::GetAtt": [intake, "Arn"] },
    });
  });

  it("lets only SES for this account write inbound mail into the bucket and use its key", () => {
    stateful.hasResourceProperties("AWS::S3::BucketPolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: "s3:PutObject",
            Principal: { Service: "ses.amazonaws.com" },
            Condition: { StringEquals: { "aws:SourceAccount": Match.anyValue() } },
          }),
        ]),
      },
    });
    stateful.hasResourceProperties("AWS::KMS::Key", {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: "ses.amazonaws.com" },
            Condition: { StringEquals: { "aws:SourceAccount": Match.anyValue() } },
          }),
        ]),
      },
    });
  });
});

describe("the lifecycle state machine", () => {
  let asl: { States: Record<string, Record<string, unknown>>; StartAt: string };
  beforeAll(() => {
    asl = lifecycleDefinition(application) as typeof asl;
  });

  it("is valid Amazon States Language", () => {
    const result = validator(asl);
    expect(result.errors).toEqual([]);
    expect(result.isValid).toBe(true);
  });

  it("gives every wait on a person a timeout", () => {
    const waits = Object.entries(asl.States).filter(([, s]) =>
      String(s.Resource).endsWith(".waitForTaskToken"),
    );
    expect(waits.map(([name]) => name).sort()).toEqual([
      "AwaitFeeAssessment",
      "AwaitFeePayment",
      "AwaitFulfilment",
      "AwaitVerification",
    ]);
    for (const [, state] of waits) expect(state.TimeoutSeconds).toBeGreaterThan(0);
  });

  it("retries every Lambda task and catches every failure into RecordFailure", () => {
    const tasks = Object.entries(asl.States).filter(([, s]) => s.Type === "Task");
    expect(tasks.length).toBeGreaterThanOrEqual(10);
    for (const [name, state] of tasks) {
      expect(state.Retry, name).toEqual(
        expect.arrayContaining([expect.objectContaining({ BackoffRate: 2 })]),
      );
      if (name === "RecordFailure") continue;
      const catches = state.Catch as { ErrorEquals: string[]; Next: string }[];
      expect(catches.at(-1), name).toEqual(
        expect.objectContaining({ ErrorEquals: ["States.ALL"], Next: "RecordFailure" }),
      );
    }
    expect(asl.States.RecordFailure?.Next).toBe("Failed");
  });

  it("closes as unverified on timeout or rejection, and declines the fee on timeout", () => {
    const catchOf = (state: string) =>
      asl.States[state]?.Catch as { ErrorEquals: string[]; Next: string }[];
    expect(catchOf("AwaitVerification")[0]).toMatchObject({
      ErrorEquals: ["States.Timeout", "VerificationRejected"],
      Next: "CloseUnverified",
    });
    expect(catchOf("AwaitFeeAssessment")[0]).toMatchObject({
      ErrorEquals: ["States.Timeout"],
      Next: "WaiveFee",
    });
    expect(catchOf("AwaitFeePayment")[0]).toMatchObject({
      ErrorEquals: ["FeeDeclined", "States.Timeout"],
      Next: "CloseFeeDeclined",
    });
  });
});
