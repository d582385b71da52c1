/**
 * The stateless application: one Lambda per entry of the route/function table, the HTTP API with
 * a Cognito JWT authorizer on every /officer route, the request-lifecycle state machine, the
 * SES identity and configuration set, and the alarms.
 */
import {
  ArnFormat,
  aws_cloudwatch_actions as actions,
  Duration,
  Stack,
  type StackProps,
} from "aws-cdk-lib";
import * as apigwv2 from "aws-cdk-lib/aws-apigatewayv2";
import { HttpJwtAuthorizer } from "aws-cdk-lib/aws-apigatewayv2-authorizers";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as cognito from "aws-cdk-lib/aws-cognito";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as logs from "aws-cdk-lib/aws-logs";
import type * as s3 from "aws-cdk-lib/aws-s3";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import * as ses from "aws-cdk-lib/aws-ses";
import * as sesActions from "aws-cdk-lib/aws-ses-actions";
import * as sns from "aws-cdk-lib/aws-sns";
import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import * as sfn from "aws-cdk-lib/aws-stepfunctions";
import type { Construct } from "constructs";
import { JURISDICTIONS } from "../../functions/domain/model.js";
import {
  DEADLINE_GAUGES,
  METRICS_NAMESPACE,
  METRICS_SERVICE,
  REMINDER_FAILURES,
  REMINDERS_SENT,
} from "../../functions/metric-names.js";
import {
  BACKGROUND_FUNCTIONS,
  DEADLINE_SCANNER,
  EMAIL_INTAKE,
  type FunctionDef,
  ROUTES,
  WORKFLOW_STEP,
} from "../../functions/routes.js";
import { requestLifecycleDefinition } from "../../workflows/request-lifecycle.js";
import { PrivacyFunction } from "../constructs/privacy-function.js";
import type { DeploymentSettings } from "../settings.js";

export interface ApplicationStackProps extends StackProps {
  settings: DeploymentSettings;
  table: dynamodb.ITableV2;
  bucket: s3.IBucket;
  key: kms.IKey;
}

export const STATE_MACHINE_NAME = "PrivacyDeskRequestLifecycle";

export class ApplicationStack extends Stack {
  readonly api: apigwv2.HttpApi;
  readonly stateMachine: sfn.StateMachine;
  readonly functions = new Map<string, PrivacyFunction>();

  constructor(scope: Construct, id: string, props: ApplicationStackProps) {
    super(scope, id, props);
    const { settings, table, bucket, key } = props;

    // Named ARN (not a Ref) so functions the machine invokes can know it without a cycle.
    const stateMachineArn = this.formatArn({
      service: "states",
      resource: "stateMachine",
      resourceName: STATE_MACHINE_NAME,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const executionArns = this.formatArn({
      service: "states",
      resource: "execution",
      resourceName: `${STATE_MACHINE_NAME}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    const statusTokenSecret = new secretsmanager.Secret(this, "StatusTokenSecret", {
      description: "HMAC key for requesters' status tokens",
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      encryptionKey: key,
    });

    const identity = new ses.EmailIdentity(this, "SenderIdentity", {
      identity: ses.Identity.email(settings.senderAddress),
    });
    const configurationSet = new ses.ConfigurationSet(this, "MailConfiguration", {
      reputationMetrics: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });

    const environment: Record<string, string> = {
      STATE_MACHINE_ARN: stateMachineArn,
      SENDER_ADDRESS: settings.senderAddress,
      PRIVACY_OFFICER_ADDRESS: settings.privacyOfficerAddress,
      PRIVACY_LEAD_ADDRESS: settings.privacyLeadAddress,
      SLA_BUSINESS_DAYS: String(settings.slaBusinessDays),
      DEFAULT_JURISDICTION: settings.defaultJurisdiction,
      ...(settings.defaultRegion ? { DEFAULT_REGION: settings.defaultRegion } : {}),
      RETENTION_DAYS: String(settings.retentionDays),
      REMINDER_THRESHOLDS: settings.reminderThresholds,
      PUBLIC_BASE_URL: settings.publicBaseUrl,
      SES_CONFIGURATION_SET: configurationSet.configurationSetName,
      // Known limitation: visible in the function configuration; see README "Security notes".
      STATUS_TOKEN_SECRET: statusTokenSecret.secretValue.unsafeUnwrap(),
    };

    const build = (definition: FunctionDef) => {
      const fn = new PrivacyFunction(this, definition.name, {
        definition,
        environment,
        logRetention: logs.RetentionDays.ONE_YEAR,
      })
        .bindTable(table)
        .bindBucket(bucket);
      key.grantEncryptDecrypt(fn.fn);
      identity.grantSendEmail(fn.fn);
      fn.fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ["ses:SendEmail"],
          resources: [
            this.formatArn({
              service: "ses",
              resource: "configuration-set",
              resourceName: configurationSet.configurationSetName,
            }),
          ],
        }),
      );
      fn.fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ["states:StartExecution"],
          resources: [stateMachineArn],
        }),
      );
      fn.fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ["states:StopExecution", "states:DescribeExecution"],
          resources: [executionArns],
        }),
      );
      // Task tokens are not resource-scoped: SendTask* only accepts "*".
      fn.fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ["states:SendTaskSuccess", "states:SendTaskFailure", "states:SendTaskHeartbeat"],
          resources: ["*"],
        }),
      );
      this.functions.set(definition.name, fn);
      return fn;
    };

    // --- Officer identity: Cognito user pool, no self sign-up, MFA required.
    const userPool = new cognito.UserPool(this, "Officers", {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
    });
    const client = userPool.addClient("OfficerConsole", {
      authFlows: { userSrp: true },
      generateSecret: false,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
    });
    const authorizer = new HttpJwtAuthorizer("OfficerJwt", userPool.userPoolProviderUrl, {
      jwtAudience: [client.userPoolClientId],
    });

    // --- HTTP API from the route table.
    const accessLogs = new logs.LogGroup(this, "ApiAccessLogs", {
      retention: logs.RetentionDays.ONE_YEAR,
    });
    this.api = new apigwv2.HttpApi(this, "Api", {
      description: "Privacy Desk: requesters and privacy officers",
      corsPreflight: {
        allowOrigins: ["*"],
        allowMethods: [apigwv2.CorsHttpMethod.GET, apigwv2.CorsHttpMethod.POST],
        allowHeaders: ["content-type", "authorization", "idempotency-key"],
      },
    });
    const stage = this.api.defaultStage?.node.defaultChild as apigwv2.CfnStage;
    stage.defaultRouteSettings = {
      throttlingBurstLimit: 50,
      throttlingRateLimit: 20,
      detailedMetricsEnabled: true,
    };
    stage.accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      // ids, route and status only — never bodies or addresses.
      format: JSON.stringify({
        requestId: "$context.requestId",
        routeKey: "$context.routeKey",
        status: "$context.status",
        latencyMs: "$context.responseLatency",
        integrationError: "$context.integrationErrorMessage",
      }),
    };

    for (const route of ROUTES) {
      const fn = build(route);
      this.api.addRoutes({
        path: route.path,
        methods: [apigwv2.HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${route.name}Integration`, fn.fn),
        ...(route.auth === "officer" ? { authorizer } : {}),
      });
    }
    const background = new Map(BACKGROUND_FUNCTIONS.map((def) => [def.name, build(def)]));
    const workflowStep = background.get(WORKFLOW_STEP.name)?.fn;
    const scanner = background.get(DEADLINE_SCANNER.name)?.fn;
    const intake = background.get(EMAIL_INTAKE.name)?.fn;
    if (!workflowStep || !scanner || !intake) {
      throw new Error("the function table lacks the workflow step, scanner or email intake");
    }

    // --- Email intake: mail to the privacy mailbox is scanned (spam, virus), stored raw in the
    // bucket under inbound/, then handed to the intake function. A rule set must be made the
    // active one by hand (one per region): see the README, "Receiving email".
    new ses.ReceiptRuleSet(this, "InboundMail", {
      rules: [
        {
          recipients: [settings.inboundAddress],
          scanEnabled: true,
          tlsPolicy: ses.TlsPolicy.REQUIRE,
          actions: [
            new sesActions.S3({ bucket, objectKeyPrefix: "inbound/" }),
            new sesActions.Lambda({
              function: intake,
              invocationType: sesActions.LambdaInvocationType.EVENT,
            }),
          ],
        },
      ],
    });

    // --- The deadline scan: EventBridge passes the scheduled instant as the event's `time`.
    const scanSchedule = new events.Rule(this, "DeadlineScanSchedule", {
      description: "Runs the deadline scanner: reminders, escalations, deadline metrics",
      schedule: events.Schedule.rate(Duration.minutes(settings.scanScheduleMinutes)),
    });
    scanSchedule.addTarget(
      new targets.LambdaFunction(scanner, { retryAttempts: 2, maxEventAge: Duration.hours(1) }),
    );

    // --- The lifecycle state machine.
    const machineLogs = new logs.LogGroup(this, "LifecycleLogs", {
      retention: logs.RetentionDays.ONE_YEAR,
    });
    this.stateMachine = new sfn.StateMachine(this, "Lifecycle", {
      stateMachineName: STATE_MACHINE_NAME,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(
        requestLifecycleDefinition(this, {
          workflowStep,
          timeouts: {
            verification: Duration.days(settings.verificationTimeoutDays),
            feeAssessment: Duration.days(settings.feeAssessmentTimeoutDays),
            feePayment: Duration.days(settings.feePaymentTimeoutDays),
            fulfilment: Duration.days(settings.fulfilmentTimeoutDays),
          },
        }),
      ),
      tracingEnabled: true,
      logs: { destination: machineLogs, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });

    // --- Alarms to an SNS topic.
    const alerts = new sns.Topic(this, "Alerts", { enforceSSL: true, masterKey: key });
    if (settings.alarmEmail)
      alerts.addSubscription(new subscriptions.EmailSubscription(settings.alarmEmail));
    const notify = new actions.SnsAction(alerts);
    this.stateMachine
      .metricFailed({ period: Duration.minutes(5), statistic: "Sum" })
      .createAlarm(this, "WorkflowFailures", {
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: "A request's workflow failed: see the request's history",
      })
      .addAlarmAction(notify);
    for (const [name, fn] of this.functions) {
      fn.fn
        .metricErrors({ period: Duration.minutes(5), statistic: "Sum" })
        .createAlarm(this, `${name}Errors`, {
          threshold: 1,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          alarmDescription: `${name} threw errors`,
        })
        .addAlarmAction(notify);
    }

    // --- Deadline alarms, from the scanner's EMF metrics (functions/metric-names.ts).
    const scanPeriod = Duration.minutes(settings.scanScheduleMinutes);
    const deadlineMetric = (metricName: string, dimensions: Record<string, string> = {}) =>
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { service: METRICS_SERVICE, ...dimensions },
        statistic: "Maximum",
        period: scanPeriod,
      });
    deadlineMetric(DEADLINE_GAUGES.overdueStatutory)
      .createAlarm(this, "OverdueStatutory", {
        threshold: 0,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription:
          "A request is past its statutory date: respond now (the privacy lead has been emailed)",
      })
      .addAlarmAction(notify);
    deadlineMetric(REMINDER_FAILURES)
      .with({ statistic: "Sum" })
      .createAlarm(this, "ReminderFailures", {
        threshold: 0,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: "Deadline reminders could not be sent (SES); each is retried once",
      })
      .addAlarmAction(notify);
    // Silence is not safety: a scanner that stopped running would stop every reminder.
    scanner
      .metricInvocations({ period: Duration.minutes(settings.scanScheduleMinutes * 3) })
      .createAlarm(this, "DeadlineScannerNotRunning", {
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
        alarmDescription: "The deadline scanner has not run for three schedule periods",
      })
      .addAlarmAction(notify);

    this.dashboard(deadlineMetric, scanner);
  }

  private dashboard(
    deadlineMetric: (name: string, dimensions?: Record<string, string>) => cloudwatch.Metric,
    scanner: { metricErrors(): cloudwatch.Metric; metricDuration(): cloudwatch.Metric },
  ): void {
    const board = new cloudwatch.Dashboard(this, "Dashboard", {
      dashboardName: `${this.stackName}-deadlines`,
      defaultInterval: Duration.days(7),
    });
    const gauges = Object.values(DEADLINE_GAUGES);
    board.addWidgets(
      ...gauges.map(
        (name) =>
          new cloudwatch.SingleValueWidget({
            title: name,
            metrics: [deadlineMetric(name)],
            width: 6,
            height: 4,
          }),
      ),
    );
    board.addWidgets(
      ...[DEADLINE_GAUGES.overdueSla, DEADLINE_GAUGES.overdueStatutory].map(
        (name) =>
          new cloudwatch.GraphWidget({
            title: `${name} by jurisdiction`,
            left: JURISDICTIONS.map((jurisdiction) =>
              deadlineMetric(name, { jurisdiction }).with({ label: jurisdiction }),
            ),
            width: 12,
          }),
      ),
    );
    board.addWidgets(
      new cloudwatch.GraphWidget({
        title: "Reminders",
        left: [
          deadlineMetric(REMINDERS_SENT).with({ statistic: "Sum", label: "sent" }),
          deadlineMetric(REMINDER_FAILURES).with({ statistic: "Sum", label: "failed" }),
        ],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: "Request workflows",
        left: [
          this.stateMachine.metricStarted({ label: "started" }),
          this.stateMachine.metricSucceeded({ label: "succeeded" }),
          this.stateMachine.metricFailed({ label: "failed" }),
        ],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: "API and scanner",
        left: [
          this.api.metricServerError({ label: "API 5xx" }),
          this.api.metricClientError({ label: "API 4xx" }),
          scanner.metricErrors().with({ label: "scanner errors" }),
        ],
        right: [scanner.metricDuration().with({ label: "scan duration" })],
        width: 8,
      }),
    );
  }
}
